package com.example.webflux;

import reactor.core.publisher.Mono;

import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The team's reactive client of a callback-style quote feed: {@link #quote} wraps the feed's
 * callback in {@code Mono.create}. The feed drops the callback of a halted symbol and forgets who
 * asked, so that {@code Mono} never signals.
 */
public class QuoteClient {

    private final Set<String> halted;
    private final ScheduledExecutorService feed = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "quote-feed");
        t.setDaemon(true);
        return t;
    });

    public QuoteClient(Set<String> halted) {
        this.halted = Set.copyOf(halted);
    }

    public Mono<String> quote(String symbol) {
        return Mono.create(sink -> ask(symbol, price -> sink.success(symbol + " " + price + "\n")));
    }

    private void ask(String symbol, Consumer<Integer> callback) {
        if (halted.contains(symbol)) {
            return;
        }
        feed.schedule(() -> callback.accept(Math.abs(symbol.hashCode()) % 1000), 1, TimeUnit.MILLISECONDS);
    }
}
