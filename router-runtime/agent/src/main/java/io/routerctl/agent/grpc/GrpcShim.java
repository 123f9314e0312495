package io.routerctl.agent.grpc;

import io.grpc.Context;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerStreamTracer;
import io.grpc.Status;
import io.routerctl.agent.hooks.Hooks;

import java.lang.ref.WeakReference;

/**
 * What routerctl puts into a gRPC server: a stream tracer factory (appended to each server
 * handler's) and an interceptor (run first), which carry a call's tracking from the event loop,
 * where its stream starts, to gRPC's executor, where its service method runs. They only relay to
 * the {@link Hooks}: the tracking itself is the attach's, and this side holds it weakly.
 *
 * <p>The agent defines these classes per class loader of gRPC's API, in a class loader of their
 * own that no attach owns, because gRPC keeps what they make for as long as a call is open (its
 * context, its stream's tracers, its listener), across a detach: they must not keep a detached
 * attach's classes loaded. After a detach they relay to nothing, and the shim is collected once
 * gRPC holds nothing of it.
 *
 * <h2>Allocation and threads</h2>
 * Per tracked call: one tracer, one weak reference, one context entry, one listener wrapper; per
 * untracked call nothing but the factory's lookup. The factory and tracer run on the loop, the
 * interceptor and listener on gRPC's executor.
 */
public final class GrpcShim {

    static final Context.Key<Tracer> CALL = Context.key("routerctl-call");
    private static final ServerStreamTracer UNTRACKED = new ServerStreamTracer() {
    };

    private static final Factory FACTORY = new Factory();
    private static final Interceptor INTERCEPTOR = new Interceptor();

    private GrpcShim() {
    }

    /** The factory and the interceptor: one of each per class loader of the shim. */
    public static Object[] make() {
        return new Object[] {FACTORY, INTERCEPTOR};
    }

    static final class Factory extends ServerStreamTracer.Factory {
        @Override
        public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
            Hooks.HandedOff call = Hooks.handOffStarted(fullMethodName);
            return call == null ? UNTRACKED : new Tracer(call);
        }

        @Override
        public String toString() {
            return "routerctl";
        }
    }

    static final class Tracer extends ServerStreamTracer {
        final WeakReference<Hooks.HandedOff> call;

        Tracer(Hooks.HandedOff call) {
            this.call = new WeakReference<>(call);
        }

        @Override
        public Context filterContext(Context context) {
            return context.withValue(CALL, this);
        }

        @Override
        public void streamClosed(Status status) {
            Hooks.HandedOff c = call.get();
            if (c != null) {
                try {
                    c.closed();
                } catch (Throwable t) {
                    // the tracking's own failure: never gRPC's
                }
            }
        }
    }

    static final class Interceptor implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> serverCall, Metadata headers,
                                                           ServerCallHandler<Q, R> next) {
            Tracer t = CALL.get();
            if (t == null || t.call.get() == null) {
                return next.startCall(serverCall, headers);
            }
            Object token = enter(t);
            ServerCall.Listener<Q> listener;
            try {
                listener = next.startCall(serverCall, headers);
            } finally {
                exit(t, token);
            }
            return new Listener<>(listener, t);
        }

        @Override
        public String toString() {
            return "routerctl";
        }
    }

    static Object enter(Tracer t) {
        Hooks.HandedOff c = t.call.get();
        if (c == null) {
            return null;
        }
        try {
            return c.entering();
        } catch (Throwable e) {
            return null;
        }
    }

    static void exit(Tracer t, Object token) {
        Hooks.HandedOff c = t.call.get();
        if (c != null && token != null) {
            try {
                c.returned(token);
            } catch (Throwable e) {
                // the tracking's own failure: never gRPC's
            }
        }
    }

    static final class Listener<Q> extends ForwardingServerCallListener.SimpleForwardingServerCallListener<Q> {
        private final Tracer tracer;

        Listener(ServerCall.Listener<Q> delegate, Tracer tracer) {
            super(delegate);
            this.tracer = tracer;
        }

        @Override
        public void onMessage(Q message) {
            Object token = enter(tracer);
            try {
                super.onMessage(message);
            } finally {
                exit(tracer, token);
            }
        }

        @Override
        public void onHalfClose() {
            Object token = enter(tracer);
            try {
                super.onHalfClose();
            } finally {
                exit(tracer, token);
            }
        }
    }
}
