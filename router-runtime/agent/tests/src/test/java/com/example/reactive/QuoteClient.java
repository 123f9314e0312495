package com.example.reactive;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The team's reactive client of a callback-style quote feed: {@link #quote} wraps the feed's
 * callback in {@code Mono.create}, {@link #ticks} in {@code Flux.create}, {@link #bid} completes a
 * {@code Sinks.one()} from it and {@link #trades} feeds and completes a {@code Sinks.many()}. Its
 * bug: the feed drops a halted symbol's callback (it forgets who asked), so the {@code Mono} or
 * {@code Flux} never signals.
 */
final class QuoteClient {

    private final Set<String> halted = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService feed = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "quote-feed");
        t.setDaemon(true);
        return t;
    });

    QuoteClient(Set<String> halted) {
        this.halted.addAll(halted);
    }

    /** The price of {@code symbol}, from the feed. */
    Mono<String> quote(String symbol) {
        return Mono.create(sink -> ask(symbol, price -> sink.success(symbol + " " + price + "\n")));
    }

    /** The next few prices of {@code symbol} as a stream, from the same feed (one tick here). */
    Flux<String> ticks(String symbol) {
        return Flux.create(sink -> ask(symbol, price -> {
            sink.next(symbol + " " + price + "\n");
            sink.complete();
        }));
    }

    /** The bid for {@code symbol}: a sink the feed's callback fills. */
    Mono<String> bid(String symbol) {
        Sinks.One<String> bid = Sinks.one();
        ask(symbol, price -> bid.tryEmitValue(symbol + " bid " + (price - 1) + "\n"));
        return bid.asMono();
    }

    /** The last trades of {@code symbol} as a stream: a unicast sink the feed's callback fills and completes. */
    Flux<String> trades(String symbol) {
        Sinks.Many<String> trades = Sinks.many().unicast().onBackpressureBuffer();
        ask(symbol, price -> {
            trades.tryEmitNext(symbol + " traded " + price + "\n");
            trades.tryEmitComplete();
        });
        return trades.asFlux();
    }

    /** The feed's API: calls {@code callback} a millisecond later, or never for a halted symbol. */
    private void ask(String symbol, Consumer<Integer> callback) {
        if (halted.contains(symbol)) {
            return;
        }
        feed.schedule(() -> callback.accept(Math.abs(symbol.hashCode()) % 1000), 1, TimeUnit.MILLISECONDS);
    }
}
