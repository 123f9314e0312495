package io.routerctl.samples.auth;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import io.routerctl.probes.Completer;
import io.routerctl.runtime.RequestContext;
import io.routerctl.probes.ProbePoint;

/**
 * The hand-written adapter of the story, with its bug: under concurrency it sometimes loses the
 * wake-up, and the request waits on {@code auth} forever while its connection stays open.
 *
 * <p>The request waits on a tracked {@link Completer} (probe point {@code auth}), begun when the
 * router registers its listener: routerctl knows what the request waits on and watches the
 * completer. Between the library's callback and that completer sits the hand-written glue, the
 * {@link BuggyAuthFuture}: the library holds it (through the {@link LibraryCallback}) until it
 * has called it, and the glue holds the completer it is meant to complete. The bug is in the
 * glue, exactly as before the port: when the wake-up is lost, the glue never completes the
 * completer, the library drops the glue, and the glue was the completer's only holder. The
 * completer becomes unreachable while the request still waits, and the registry proves the
 * lost wake-up ({@code lost-wakeup} in dump-stuck and top, after a GC).
 *
 * <h2>The bug</h2>
 * The author wanted the waiter fields written by the event loop only ("single writer, no CAS
 * needed") and let {@link BuggyAuthFuture#whenComplete} check for an early result, then hand the
 * registration of the waiter to the loop's task queue. The check and the registration are not one
 * atomic step, and the registration does not look at the result again. See the case analysis on
 * {@link BuggyAuthFuture}. With nothing else pending on the loop, the registration follows the
 * check at once and the window is a few instructions. When calls overlap on the loop (the
 * pile-up lane), the adapter first records the call site for diagnostics (tens of microseconds
 * of real work) and then queues the registration behind the loop's other work: the window is
 * that long. The library's callback lands in the window only
 * when it answers within microseconds, which it does when the request joined a lookup already in
 * flight (concurrency). One request at a time, the callback comes a full backend round trip
 * (1–3 ms) later and the window has long closed.
 *
 * <h2>Thread safety</h2>
 * Shared by all loops; each future is used as documented on {@link AuthFuture}.
 */
public final class BuggyAuthAdapter implements AuthAdapter {

    private final LegacyAuth library;
    private final ProbePoint waitPoint;

    /** An adapter over {@code library} whose requests wait on {@code waitPoint}. */
    public BuggyAuthAdapter(LegacyAuth library, ProbePoint waitPoint) {
        this.library = library;
        this.waitPoint = waitPoint;
    }

    @Override
    public AuthFuture authenticate(String token, EventLoop loop) {
        BuggyAuthFuture future = new BuggyAuthFuture(loop, waitPoint);
        library.authenticate(token, new LibraryCallback(future));
        return future;
    }

    @Override
    public String name() {
        return "buggy";
    }

    /** The callback the library holds until it has called it. */
    static final class LibraryCallback implements LegacyAuth.Callback {
        private final BuggyAuthFuture future;

        LibraryCallback(BuggyAuthFuture future) {
            this.future = future;
        }

        @Override
        public void onResult(AuthResult result) {
            future.complete(result);
        }
    }

    /**
     * A future whose completion races with its waiter's registration.
     *
     * <p>The accesses that matter (all volatile, so each is seen in one global order):
     * <pre>
     *   event loop, whenComplete():           begin the tracked completer (the waiter)
     *                                      A  read result      (null: not done yet)
     *     fast lane (nothing else pending) C  write waiter     (no second look at result)
     *     pile-up lane                        record the call site, then
     *                                      B  queue the registration on the loop
     *   event loop, later, run():          C  write waiter     (no second look at result)
     *   library thread, complete():        D  write result
     *                                      E  read waiter      (null: "nobody waits yet")
     *                                         else hand "complete the waiter" to the loop
     * </pre>
     * Case analysis of the interleavings, by where the library's D falls (E always follows D):
     * <ol>
     *   <li>D before A: A sees the result, completes the completer and the listener runs at once;
     *       B and C never happen. OK.</li>
     *   <li>D after C: E follows C and sees the waiter; complete() hands the listener to the loop. OK.</li>
     *   <li>D between A and C, E after C: E sees the waiter. OK.</li>
     *   <li>D and E both between A and C: BAD. A saw no result, E saw no waiter; C then registers a
     *       waiter that nobody will ever call, because the result was written before and nothing
     *       reads it again. The wake-up is lost: the waiter (the tracked completer) is never
     *       completed, and once the library drops this glue object nothing references the
     *       completer any more. The registry proves it: {@code lost-wakeup}.</li>
     * </ol>
     * Case 4 needs the whole D–E pair to fall between A and C. In the fast lane that window is a
     * few instructions and practically never hit; in the pile-up lane it spans the call-site
     * capture and the registration's wait in the loop's queue, and the library answers inside it
     * when the request joined a lookup that was about to finish. The fix ({@link FixedAuthAdapter})
     * drops the glue: a {@code CompletableFuture} publishes "a dependent waits" and "the result is
     * here" through one state field with compare-and-set, so exactly one side sees the other, and
     * {@code TrackedCalls} does the tracking.
     *
     * <h2>Thread safety and allocation</h2>
     * {@code pending*} and {@code callSite}: event loop only. {@code result}: written by the library thread.
     * {@code waiter}: written by the event loop, read by the library thread. One instance per
     * request, plus the tracked completer (see {@link Completer}), the listener on its future and
     * one {@link Runnable} per delivered completion.
     */
    static final class BuggyAuthFuture implements AuthFuture, Runnable {
        /**
         * Calls on this loop whose waiter has not been called yet (loop-confined). A lost wake-up
         * never leaves this count.
         */
        private static final FastThreadLocal<int[]> PENDING_ON_LOOP = new FastThreadLocal<>() {
            @Override
            protected int[] initialValue() {
                return new int[1];
            }
        };

        private final EventLoop loop;
        private final ProbePoint waitPoint;
        private volatile AuthResult result;
        private volatile Completer<AuthResult> waiter;
        private Completer<AuthResult> pendingWaiter;
        static {
            // The first stack capture loads and links the stack-trace machinery (milliseconds);
            // do it once up front so that the very first requests are not special.
            describeCallSite();
        }

        /** Where the pending call was made, for diagnostics (event loop only). */
        private String callSite;

        BuggyAuthFuture(EventLoop loop, ProbePoint waitPoint) {
            this.loop = loop;
            this.waitPoint = waitPoint;
        }

        @Override
        public void whenComplete(RequestContext context, AuthListener listener) {
            // The tracked wait begins before the check, so that tracking adds nothing to the window
            // between A and C: the race is the one the glue had before routerctl watched it.
            Completer<AuthResult> completer = context == null
                    ? Completer.untracked(waitPoint)
                    : Completer.begin(context.shard(), context.handle(), waitPoint);
            // The listener is the future's dependent: it references the context, never the completer.
            completer.future().thenAccept(r -> listener.onAuth(context, r));
            AuthResult early = result;                             // A
            if (early != null) {
                completer.complete(early);                         // the listener runs here, at once
                return;
            }
            int[] pendingHere = PENDING_ON_LOOP.get();
            if (pendingHere[0]++ == 0) {
                // Nothing else pending on this loop: register at once.
                waiter = completer;                                // C (fast lane)
                return;
            }
            // Calls are piling up on this loop: remember where this one came from, and queue the
            // registration behind the earlier ones.
            callSite = describeCallSite();
            pendingWaiter = completer;
            loop.execute(this);                                    // B
        }

        /** The queued registration, on the event loop. */
        @Override
        public void run() {
            waiter = pendingWaiter;                                // C
            pendingWaiter = null;
        }

        /**
         * The diagnostics the author added while chasing pile-ups: when calls are already pending on
         * this loop, where was this one made? Capturing and formatting the stack is the slow part of
         * the slow path, and it sits between the check (A) and the registration (B, C), so the
         * window widens exactly when calls overlap.
         */
        private static String describeCallSite() {
            StackTraceElement[] frames = new Throwable().getStackTrace();
            StringBuilder sb = new StringBuilder(512);
            for (int i = 1; i < frames.length && i <= 12; i++) {
                sb.append(i == 1 ? "" : " <- ").append(frames[i]);
            }
            return sb.toString();
        }

        @Override
        public String toString() {
            return "auth call " + (result != null ? "completed" : "pending") + (callSite != null ? " from " + callSite : "");
        }

        void complete(AuthResult r) {
            result = r;                                            // D
            Completer<AuthResult> w = waiter;                      // E
            if (w != null) {
                loop.execute(() -> {
                    PENDING_ON_LOOP.get()[0]--;
                    w.complete(r);                                 // the listener runs here, on the loop
                });
            }
        }
    }
}
