package com.example.rates;

import java.util.concurrent.CompletableFuture;

/** The team's own future adapter around the feed's callback. */
final class RatesAdapter {

    private final PriceFeed feed;

    RatesAdapter(PriceFeed feed) {
        this.feed = feed;
    }

    CompletableFuture<String> quote(String symbol) {
        CompletableFuture<String> f = new CompletableFuture<>();
        feed.price(symbol, f::complete);
        return f;
    }
}
