package com.example.tickets;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The service's hand-written adapter from {@link AuthLibrary}'s callbacks to a future. Its bug, the
 * one routerctl is for: it makes the future after starting the call, so a callback that comes at
 * once (a cached token) finds no future to complete and the answer is dropped. The future is then
 * held by nobody but the waiting request's continuation chain: a lost wake-up.
 */
public final class AuthAdapter {

    private final AuthLibrary library;
    private final boolean fixed;

    /** The adapter as shipped, with its bug; {@code fixed} creates the future first (for benchmarks). */
    public AuthAdapter(AuthLibrary library, boolean fixed) {
        this.library = library;
        this.fixed = fixed;
    }

    /** The verdict on {@code token}, completed on {@code loop}. */
    public CompletableFuture<Boolean> check(String token, Executor loop) {
        Pending pending = new Pending();
        if (fixed) {
            pending.future = new CompletableFuture<>();
        }
        library.verify(token, loop, pending::deliver);
        if (!fixed) {
            pending.future = new CompletableFuture<>();
        }
        return pending.future;
    }

    private static final class Pending {
        volatile CompletableFuture<Boolean> future;

        void deliver(boolean ok) {
            CompletableFuture<Boolean> f = future;
            if (f != null) {
                f.complete(ok);
            }
        }
    }
}
