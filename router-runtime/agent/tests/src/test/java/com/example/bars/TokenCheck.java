package com.example.bars;

import com.example.tickets.AuthLibrary;

import java.util.concurrent.CompletableFuture;

/**
 * The bars team's adapter from {@link AuthLibrary}'s callbacks to a future their virtual threads
 * block on. It guards against the library answering on its own thread before the future exists
 * (the answer waits for the lock), but not against the library answering at once, on the caller's
 * thread, for a token it has cached: that answer finds no future and is dropped, and the caller
 * blocks for good on a future nobody will complete.
 */
final class TokenCheck {

    private final AuthLibrary library;
    private final boolean fixed;

    /** The adapter as shipped, with its bug; {@code fixed} makes the future first (for benchmarks). */
    TokenCheck(AuthLibrary library, boolean fixed) {
        this.library = library;
        this.fixed = fixed;
    }

    CompletableFuture<Boolean> check(String token) {
        Pending pending = new Pending();
        synchronized (pending) {
            if (fixed) {
                pending.future = new CompletableFuture<>();
            }
            library.verify(token, Runnable::run, pending::deliver);
            if (!fixed) {
                pending.future = new CompletableFuture<>();
            }
        }
        return pending.future;
    }

    private static final class Pending {
        private CompletableFuture<Boolean> future;

        synchronized void deliver(boolean ok) {
            if (future != null) {
                future.complete(ok);
            }
        }
    }
}
