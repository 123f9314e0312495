package com.example.rates;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A gRPC service that has never heard of routerctl, on gRPC's default transport (whichever
 * {@code grpc-netty} is on its class path: the shaded one or the plain one):
 * {@code example.Rates/Quote} answers through a future adapter, {@code example.Rates/Watch}
 * streams through the feed's callbacks, {@code example.Rates/Stream} prices each symbol a client
 * streams in. All hang for a halted symbol. {@code RatesService [port]}
 * prints {@code listening on PORT}.
 */
public final class RatesService {

    static final MethodDescriptor.Marshaller<String> UTF8 = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
    public static final MethodDescriptor<String, String> QUOTE = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("example.Rates/Quote")
            .setRequestMarshaller(UTF8).setResponseMarshaller(UTF8).build();
    public static final MethodDescriptor<String, String> WATCH = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.SERVER_STREAMING)
            .setFullMethodName("example.Rates/Watch")
            .setRequestMarshaller(UTF8).setResponseMarshaller(UTF8).build();

    public static final MethodDescriptor<String, String> STREAM = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
            .setFullMethodName("example.Rates/Stream")
            .setRequestMarshaller(UTF8).setResponseMarshaller(UTF8).build();

    private final PriceFeed feed = new PriceFeed();
    private final RatesAdapter adapter = new RatesAdapter(feed);

    void quote(String symbol, StreamObserver<String> response) {
        adapter.quote(symbol).whenComplete((price, error) -> {
            if (error != null) {
                response.onError(error);
            } else {
                response.onNext(price);
                response.onCompleted();
            }
        });
    }

    void watch(String symbol, StreamObserver<String> response) {
        feed.stream(symbol, 3, response::onNext, response::onCompleted);
    }

    /** A price for each symbol the client sends; the call ends once the client has and every price is out. */
    StreamObserver<String> stream(StreamObserver<String> response) {
        AtomicInteger pending = new AtomicInteger();
        AtomicBoolean clientDone = new AtomicBoolean();
        AtomicBoolean completed = new AtomicBoolean();
        return new StreamObserver<>() {
            @Override
            public void onNext(String symbol) {
                pending.incrementAndGet();
                feed.price(symbol, price -> {
                    synchronized (response) {
                        response.onNext(price);
                    }
                    if (pending.decrementAndGet() == 0 && clientDone.get() && completed.compareAndSet(false, true)) {
                        response.onCompleted();
                    }
                });
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
                clientDone.set(true);
                if (pending.get() == 0 && completed.compareAndSet(false, true)) {
                    response.onCompleted();
                }
            }
        };
    }

    ServerServiceDefinition definition() {
        return ServerServiceDefinition.builder("example.Rates")
                .addMethod(QUOTE, ServerCalls.asyncUnaryCall(this::quote))
                .addMethod(WATCH, ServerCalls.asyncServerStreamingCall(this::watch))
                .addMethod(STREAM, ServerCalls.asyncBidiStreamingCall(this::stream))
                .build();
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        Server server = Grpc.newServerBuilderForPort(port, InsecureServerCredentials.create())
                .addService(new RatesService().definition())
                .build()
                .start();
        System.out.println("listening on " + server.getPort());
        System.out.flush();
        server.awaitTermination();
    }
}
