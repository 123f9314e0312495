package com.example.tickets;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A callback-style auth client, the kind a team wraps in a future adapter: {@link #verify} answers
 * later, on the executor the caller names (its event loop), except for a token it has verified
 * before, which it answers at once, on the caller's thread, from its cache.
 */
public final class AuthLibrary {

    private final Map<String, Boolean> cache = new ConcurrentHashMap<>();
    private final ScheduledExecutorService io = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "auth-io");
        t.setDaemon(true);
        return t;
    });

    /** Calls {@code callback} with the verdict: now if cached, else in about a millisecond on {@code executor}. */
    public void verify(String token, Executor executor, Consumer<Boolean> callback) {
        Boolean cached = cache.get(token);
        if (cached != null) {
            callback.accept(cached);
            return;
        }
        io.schedule(() -> {
            boolean ok = !token.isEmpty();
            cache.put(token, ok);
            executor.execute(() -> callback.accept(ok));
        }, 1, TimeUnit.MILLISECONDS);
    }
}
