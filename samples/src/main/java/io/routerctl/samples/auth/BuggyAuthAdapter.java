package io.routerctl.samples.auth;

import io.netty.channel.EventLoop;
import io.routerctl.probes.Completer;
import io.routerctl.probes.ProbePoint;
import io.routerctl.runtime.RequestContext;

import java.util.concurrent.TimeUnit;

/**
 * The hand-written adapter of the story, with its bug: under load it sometimes loses the wake-up,
 * and the request waits on {@code auth} forever while its connection stays open.
 *
 * <p>The request waits on a tracked {@link Completer} (the router's probe point {@code auth}), begun
 * when the router registers its listener: routerctl knows what the request waits on and watches the
 * completer. Between the library's callback and that completer sits the hand-written glue, the
 * {@link BuggyAuthFuture}: the library holds it (through the {@link LibraryCallback}) until it has
 * called it, and the glue holds the completer it is meant to complete. The bug is in the glue: when
 * the wake-up is lost, the glue never completes the completer, the library drops the glue, and the
 * glue was the completer's only holder. The completer becomes unreachable while the request still
 * waits, and the registry proves the lost wake-up ({@code lost-wakeup} in dump-stuck and top, after
 * a GC).
 *
 * <h2>The bug</h2>
 * The author wanted the waiter field written by the event loop only ("single writer, no CAS
 * needed"): {@link BuggyAuthFuture#whenComplete} checks for an early result and then registers the
 * waiter. The check and the registration are not one atomic step, and the registration does not
 * look at the result again. While the library is quiet the registration follows the check at once
 * and the window is a few instructions. When the library is busy ({@link LegacyAuth#waiting()}: at
 * least {@value #BUSY_CALLERS} callers queued behind its lookups), the author defers the
 * registration to a timer {@value #BATCH_DELAY_MICROS} µs later on the loop, "so that a burst of
 * callers does not hammer the library while it is hot"; the window is then that long. See the case
 * analysis on {@link BuggyAuthFuture}.
 *
 * <h2>Why it loses requests with the rate of one token's requests, for any client</h2>
 * Callers queue behind a lookup only when requests for one token overlap: requests for a token
 * whose lookup (2–8 ms by default) is in flight join it and are all called back when it ends. A
 * request that finds two callers already queued joined a lookup that may be about to end; if it
 * ends within the timer's window, the wake-up is lost. Two callers already queued needs about
 * three requests within one lookup's time: at a steady 300 req/s a few in a hundred requests meet
 * that, at 20 req/s a few in a hundred thousand, and one request at a time never; the rate that
 * counts is per token (300 req/s over 16 tokens is 19 req/s a token). The window is a
 * timer, not work, so the rate is the same after JIT warm-up as during it.
 *
 * <h2>Thread safety</h2>
 * Shared by all loops; each future is used as documented on {@link AuthFuture}.
 */
public final class BuggyAuthAdapter implements AuthAdapter {

    /** The library counts as busy from this many queued callers on. */
    static final int BUSY_CALLERS = 3;
    /** How long the author lets waiter registrations settle while the library is busy. */
    static final long BATCH_DELAY_MICROS = 500;

    private final LegacyAuth library;
    private final ProbePoint waitPoint;

    /** An adapter over {@code library} whose requests wait on {@code waitPoint}. */
    public BuggyAuthAdapter(LegacyAuth library, ProbePoint waitPoint) {
        this.library = library;
        this.waitPoint = waitPoint;
    }

    @Override
    public AuthFuture authenticate(String token, EventLoop loop) {
        BuggyAuthFuture future = new BuggyAuthFuture(loop, waitPoint, library);
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
     *     the library is quiet             C  write waiter     (no second look at result)
     *     the library is busy              B  schedule the registration 500 µs later on the loop
     *   event loop, 500 µs later, run():   C  write waiter     (no second look at result)
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
     * Case 4 needs the whole D–E pair to fall between A and C. With a quiet library that window is
     * a few instructions and practically never hit; with a busy one it is the timer's 500 µs (plus
     * however late the loop runs it), and the library answers inside it when the request joined a
     * lookup that was about to end. The fix ({@link FixedAuthAdapter}) drops the glue: a
     * {@code CompletableFuture} publishes "a dependent waits" and "the result is here" through one
     * state field with compare-and-set, so exactly one side sees the other, and {@code TrackedCalls}
     * does the tracking.
     *
     * <h2>Thread safety and allocation</h2>
     * {@code pendingWaiter}: event loop only. {@code result}: written by the library thread.
     * {@code waiter}: written by the event loop, read by the library thread. One instance per
     * request, plus the tracked completer (see {@link Completer}), the listener on its future, one
     * scheduled task when the library is busy and one {@link Runnable} per delivered completion.
     */
    static final class BuggyAuthFuture implements AuthFuture, Runnable {
        private final EventLoop loop;
        private final ProbePoint waitPoint;
        private final LegacyAuth library;
        private volatile AuthResult result;
        private volatile Completer<AuthResult> waiter;
        private Completer<AuthResult> pendingWaiter;

        BuggyAuthFuture(EventLoop loop, ProbePoint waitPoint, LegacyAuth library) {
            this.loop = loop;
            this.waitPoint = waitPoint;
            this.library = library;
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
            if (library.waiting() < BUSY_CALLERS) {
                waiter = completer;                                // C (the library is quiet)
                return;
            }
            // The library is busy: let the registrations of this burst settle for a moment.
            pendingWaiter = completer;
            loop.schedule(this, BATCH_DELAY_MICROS, TimeUnit.MICROSECONDS);   // B
        }

        /** The deferred registration, on the event loop. */
        @Override
        public void run() {
            waiter = pendingWaiter;                                // C
            pendingWaiter = null;
        }

        void complete(AuthResult r) {
            result = r;                                            // D
            Completer<AuthResult> w = waiter;                      // E
            if (w != null) {
                loop.execute(() -> w.complete(r));                 // the listener runs here, on the loop
            }
        }

        @Override
        public String toString() {
            return "auth call " + (result != null ? "completed" : "pending");
        }
    }
}
