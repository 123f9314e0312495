package com.example.prices;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The team's adapter from a callback-style price feed to Vert.x futures. The feed drops the
 * callback of a halted symbol (and forgets who asked), so that promise is never completed.
 */
final class PriceFeedClient {

    private final Set<String> halted;
    private final ScheduledExecutorService feed = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "price-feed");
        t.setDaemon(true);
        return t;
    });

    PriceFeedClient(Set<String> halted) {
        this.halted = Set.copyOf(halted);
    }

    Future<String> price(String symbol) {
        Promise<String> promise = Promise.promise();
        ask(symbol, price -> promise.complete(symbol + " " + price + "\n"));
        return promise.future();
    }

    private void ask(String symbol, Consumer<Integer> callback) {
        if (halted.contains(symbol)) {
            return;
        }
        feed.schedule(() -> callback.accept(Math.abs(symbol.hashCode()) % 1000), 1, TimeUnit.MILLISECONDS);
    }
}
