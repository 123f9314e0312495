package com.example.embedded;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** Application code that makes futures at two places, for the tests of learned sites. */
public final class Sites {

    private Sites() {
    }

    public static <T> T here(Function<Object, T> seen) {
        return seen.apply(new CompletableFuture<>());
    }

    public static <T> T there(Function<Object, T> seen) {
        return seen.apply(new CompletableFuture<>());
    }
}
