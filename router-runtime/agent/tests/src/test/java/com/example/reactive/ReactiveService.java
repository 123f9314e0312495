package com.example.reactive;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.util.retry.Retry;

/**
 * A Reactor Netty server (the engine under Spring WebFlux) that has never heard of routerctl:
 * {@code /quote} answers, {@code /stuck/...} never does (a {@code Mono} nobody completes), nor
 * does {@code /retrying/...} (the same behind {@code retryWhen}, whose operator makes a
 * {@code Sinks.many()} of its own),
 * {@code /quotes/SYMBOL} answers through the team's {@link QuoteClient}, except for a halted symbol
 * ({@code HALT}), whose callback the feed drops; {@code /ticks/SYMBOL} streams the same way,
 * {@code /bids/SYMBOL} answers through a {@code Sinks.one()} and {@code /trades/SYMBOL} streams
 * through a {@code Sinks.many()}.
 * {@code ReactiveService [port]} prints {@code listening on PORT}.
 */
public final class ReactiveService {

    private ReactiveService() {
    }

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        QuoteClient quotes = new QuoteClient(java.util.Set.of("HALT"));
        DisposableServer server = HttpServer.create()
                .host("127.0.0.1")
                .port(port)
                .route(routes -> routes
                        .get("/quote", (request, response) -> response.sendString(Mono.just("42\n")))
                        .get("/stuck/{id}", (request, response) -> response.sendString(Mono.never()))
                        .get("/retrying/{id}", (request, response) ->
                                response.sendString(Mono.<String>never().retryWhen(Retry.max(1))))
                        .get("/quotes/{symbol}", (request, response) ->
                                response.sendString(quotes.quote(request.param("symbol"))))
                        .get("/ticks/{symbol}", (request, response) ->
                                response.sendString(quotes.ticks(request.param("symbol"))))
                        .get("/bids/{symbol}", (request, response) ->
                                response.sendString(quotes.bid(request.param("symbol"))))
                        .get("/trades/{symbol}", (request, response) ->
                                response.sendString(quotes.trades(request.param("symbol")))))
                .bindNow();
        System.out.println("listening on " + server.port());
        System.out.flush();
        server.onDispose().block();
    }
}
