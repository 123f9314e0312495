package io.routerctl.samples.auth;

import io.netty.channel.EventLoop;
import io.routerctl.runtime.RequestContext;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The same adapter as {@link BuggyAuthAdapter}, written correctly: the waiter's registration and
 * the result's arrival meet in one compare-and-set on a single state field, so exactly one side
 * sees the other and delivers. No wake-up is lost, whatever the interleaving.
 *
 * <p>As in the buggy adapter, the library holds only the {@link Completer}, and drops it after
 * calling it.
 *
 * <h2>Thread safety</h2>
 * Shared by all loops; each future is used as documented on {@link AuthFuture}.
 */
public final class FixedAuthAdapter implements AuthAdapter {

    private final LegacyAuth library;

    public FixedAuthAdapter(LegacyAuth library) {
        this.library = library;
    }

    @Override
    public AuthFuture authenticate(String token, EventLoop loop) {
        FixedAuthFuture future = new FixedAuthFuture(loop);
        library.authenticate(token, new Completer(future));
        return future;
    }

    @Override
    public String name() {
        return "fixed";
    }

    /** The callback the library holds until it has called it. */
    static final class Completer implements LegacyAuth.Callback {
        private final FixedAuthFuture future;

        Completer(FixedAuthFuture future) {
            this.future = future;
        }

        @Override
        public void onResult(AuthResult result) {
            future.complete(result);
        }
    }

    /**
     * State machine on {@code state}: {@code null} (nothing yet) → {@link #WAITING} (a waiter
     * registered) or an {@link AuthResult} (done). Whoever moves second delivers:
     * <ol>
     *   <li>result first: complete() CASes null → result; whenComplete() then fails its CAS, reads
     *       the result and runs the listener at once.</li>
     *   <li>waiter first: whenComplete() CASes null → WAITING; complete() then CASes WAITING →
     *       result, sees it replaced WAITING and hands the listener to the loop.</li>
     * </ol>
     * The CAS makes the two cases exhaustive. A second completion finds a result and is ignored.
     *
     * <h2>Thread safety and allocation</h2>
     * {@code context} and {@code listener}: written by the event loop before its CAS publishes them,
     * read after the library thread's CAS saw WAITING. One instance per request; delivery reuses it
     * as the loop task.
     */
    static final class FixedAuthFuture implements AuthFuture, Runnable {
        private static final Object WAITING = new Object();
        private static final VarHandle STATE;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(FixedAuthFuture.class, "state", Object.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final EventLoop loop;
        private volatile Object state;
        private RequestContext context;
        private AuthListener listener;

        FixedAuthFuture(EventLoop loop) {
            this.loop = loop;
        }

        @Override
        public void whenComplete(RequestContext context, AuthListener listener) {
            this.context = context;
            this.listener = listener;
            if (!STATE.compareAndSet(this, null, WAITING)) {
                listener.onAuth(context, (AuthResult) state);
            }
        }

        void complete(AuthResult result) {
            for (;;) {
                Object s = state;
                if (s instanceof AuthResult) {
                    return;
                }
                if (STATE.compareAndSet(this, s, result)) {
                    if (s == WAITING) {
                        loop.execute(this);
                    }
                    return;
                }
            }
        }

        /** Delivery on the event loop. */
        @Override
        public void run() {
            listener.onAuth(context, (AuthResult) state);
        }
    }
}
