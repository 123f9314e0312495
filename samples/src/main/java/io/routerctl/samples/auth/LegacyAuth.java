package io.routerctl.samples.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A callback-style authentication library, as a JNI wrapper around a C library would present it:
 * submit a token with a callback; the library verifies it against its backend on its own small
 * thread pool and calls back on one of its threads.
 *
 * <h2>Behaviour</h2>
 * <ul>
 *   <li>A lookup takes a backend round trip of {@link LatencyRange configurable} latency (2–8 ms by
 *       default, 0 allowed). The round trip is modelled by the pool's timer; the threads never
 *       sleep.</li>
 *   <li>Requests for a token whose lookup is already in flight join it (request coalescing, as
 *       real auth clients do): they are all called back, in arrival order, on the thread that
 *       finishes the lookup. A request that joins late is therefore called back quickly, maybe
 *       microseconds after it was submitted. That fast path exists only when requests for one
 *       token overlap, i.e. under concurrency.</li>
 *   <li>Tokens starting with {@code deny-} are refused; any other non-empty token is allowed.</li>
 *   <li>After calling a callback the library drops its reference to it.</li>
 * </ul>
 *
 * <h2>Thread safety</h2>
 * {@link #authenticate} is safe from any thread; it holds the library's internal lock for a map
 * lookup (this is the library's business: it stands for foreign code). Callbacks run on the
 * library's threads, named {@code legacy-auth-N}.
 */
public final class LegacyAuth implements AutoCloseable {

    /** The callback a caller hands to {@link #authenticate}; called once, on a library thread. */
    @FunctionalInterface
    public interface Callback {
        void onResult(AuthResult result);
    }

    private final LatencyRange latency;
    private final ScheduledThreadPoolExecutor pool;
    private final Object lock = new Object();
    private final Map<String, Lookup> inFlight = new HashMap<>();
    private final AtomicLong lookups = new AtomicLong();
    private final AtomicLong coalesced = new AtomicLong();
    private final AtomicLong callbacksCalled = new AtomicLong();
    /** Callbacks accepted and not called yet: the library's queue depth, as its metrics show it. */
    private final java.util.concurrent.atomic.AtomicInteger waiting = new java.util.concurrent.atomic.AtomicInteger();

    /** A library with {@code threads} threads (1..16) and backend round trips of {@code latency}. */
    public LegacyAuth(int threads, LatencyRange latency) {
        if (threads < 1 || threads > 16) {
            throw new IllegalArgumentException("auth threads must be 1..16, got " + threads);
        }
        this.latency = latency;
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "legacy-auth-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.pool = new ScheduledThreadPoolExecutor(threads, factory);
        this.pool.setRemoveOnCancelPolicy(true);
    }

    /** The backend latency. */
    public LatencyRange latency() {
        return latency;
    }

    /** Backend lookups started so far. */
    public long lookups() {
        return lookups.get();
    }

    /** Callbacks called so far (each request's callback is called exactly once). */
    public long callbacksCalled() {
        return callbacksCalled.get();
    }

    /**
     * Callers waiting for the library now: callbacks it accepted and has not called yet, over every
     * token. A quiet library has 0 or 1; callers pile up behind a lookup when requests for one token
     * overlap (the library exposes it for dashboards, as client libraries expose their queue depth).
     */
    public int waiting() {
        return waiting.get();
    }

    /** Requests that joined a lookup already in flight. */
    public long coalesced() {
        return coalesced.get();
    }

    /**
     * Verifies {@code token} and calls {@code callback} once with the result, on a library thread.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    public void authenticate(String token, Callback callback) {
        waiting.incrementAndGet();
        Lookup start;
        synchronized (lock) {
            Lookup running = inFlight.get(token);
            if (running != null) {
                running.callbacks.add(callback);
                coalesced.incrementAndGet();
                return;
            }
            start = new Lookup(token, callback);
            inFlight.put(token, start);
        }
        lookups.incrementAndGet();
        long delay = latency.next();
        if (delay == 0) {
            pool.execute(start);
        } else {
            pool.schedule(start, delay, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    private final class Lookup implements Runnable {
        final String token;
        final List<Callback> callbacks = new ArrayList<>(4);

        Lookup(String token, Callback first) {
            this.token = token;
            this.callbacks.add(first);
        }

        @Override
        public void run() {
            AuthResult result = verify(token);
            List<Callback> toCall;
            synchronized (lock) {
                inFlight.remove(token);
                toCall = new ArrayList<>(callbacks);
                callbacks.clear();
            }
            for (int i = 0; i < toCall.size(); i++) {
                Callback cb = toCall.set(i, null);
                waiting.decrementAndGet();
                try {
                    cb.onResult(result);
                } catch (Throwable t) {
                    // a C library cannot propagate a caller's exception; it carries on
                } finally {
                    callbacksCalled.incrementAndGet();
                }
            }
        }
    }

    private static AuthResult verify(String token) {
        if (token.isEmpty() || token.startsWith("deny-")) {
            return new AuthResult(false, "");
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder("user-");
            for (int i = 0; i < 4; i++) {
                sb.append(Character.forDigit((digest[i] >> 4) & 0xF, 16)).append(Character.forDigit(digest[i] & 0xF, 16));
            }
            return new AuthResult(true, sb.toString());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
