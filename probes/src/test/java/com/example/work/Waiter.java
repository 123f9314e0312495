package com.example.work;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** A service's own code that blocks its thread on a future, the way a handler's thread would. */
public final class Waiter {

    private Waiter() {
    }

    /** Blocks until {@code answer} completes (or the thread is interrupted). */
    public static void await(CompletableFuture<?> answer) {
        try {
            answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // The answer failed: nothing left to wait for.
        }
    }
}
