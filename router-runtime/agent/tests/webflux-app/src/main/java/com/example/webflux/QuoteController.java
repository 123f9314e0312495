package com.example.webflux;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code GET /quotes/{symbol}}: the symbol's price, from the feed. */
@RestController
public class QuoteController {

    private final QuoteClient quotes;

    public QuoteController(QuoteClient quotes) {
        this.quotes = quotes;
    }

    @GetMapping("/quotes/{symbol}")
    public Mono<String> quote(@PathVariable String symbol) {
        return quotes.quote(symbol);
    }
}
