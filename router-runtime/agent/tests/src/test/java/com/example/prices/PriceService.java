package com.example.prices;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;

import java.util.Set;

/**
 * A Vert.x 5 web service the way a team writes one, that has never heard of routerctl: a route
 * answers prices through the team's {@link PriceFeedClient}, whose feed drops the callback of a
 * halted symbol, leaving the route's {@code Promise} incomplete; a second route composes two such
 * calls (the second made in the first one's callback, after the route's code returned).
 * {@code PriceService [port]} prints {@code listening on PORT}.
 */
public final class PriceService {

    private PriceService() {
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        Vertx vertx = Vertx.vertx();
        PriceFeedClient prices = new PriceFeedClient(Set.of("HALT"));
        Router router = Router.router(vertx);
        router.get("/prices/:symbol").handler(ctx -> prices.price(ctx.pathParam("symbol"))
                .onSuccess(price -> ctx.response().end(price))
                .onFailure(ctx::fail));
        router.get("/spreads/:symbol").handler(ctx -> prices.price("INDEX")
                .compose(index -> prices.price(ctx.pathParam("symbol")).map(price -> index + " / " + price))
                .onSuccess(spread -> ctx.response().end(spread))
                .onFailure(ctx::fail));
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get();
        System.out.println("listening on " + server.actualPort());
        System.out.flush();
    }
}
