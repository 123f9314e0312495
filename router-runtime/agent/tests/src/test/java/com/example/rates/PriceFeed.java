package com.example.rates;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A callback-style market data client, the kind a team wraps in a future or hands an observer to:
 * {@link #price} calls back about a millisecond later on its own thread. Its bug: a symbol whose
 * trading is halted ({@code HALT-...}) is dropped without a word, callback and all.
 */
public final class PriceFeed {

    private final ScheduledExecutorService io = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "feed-io");
        t.setDaemon(true);
        return t;
    });

    /** Calls {@code callback} with a price for {@code symbol}, later, on the feed's thread. */
    public void price(String symbol, Consumer<String> callback) {
        if (symbol.startsWith("HALT-")) {
            return; // halted: nobody will ever call back
        }
        io.schedule(() -> callback.accept(symbol + "=" + (100 + ThreadLocalRandom.current().nextInt(50))),
                1, TimeUnit.MILLISECONDS);
    }

    /** Calls {@code each} {@code count} times, then {@code done}, for {@code symbol}. */
    public void stream(String symbol, int count, Consumer<String> each, Runnable done) {
        if (symbol.startsWith("HALT-")) {
            return;
        }
        io.execute(() -> {
            for (int i = 0; i < count; i++) {
                each.accept(symbol + "#" + i);
            }
            done.run();
        });
    }
}
