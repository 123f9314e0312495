package io.routerctl.samples.auth;

import io.netty.channel.EventLoop;
import io.routerctl.probes.TrackedCalls;
import io.routerctl.runtime.RequestContext;
import io.routerctl.probes.ProbePoint;

import java.util.concurrent.CompletableFuture;

/**
 * The same adapter as {@link BuggyAuthAdapter}, written the way that cannot be got wrong: no
 * hand-written glue at all. The library's callback completes a plain {@link CompletableFuture},
 * and {@link TrackedCalls#track} turns that into the tracked wait on {@code auth}, delivered on
 * the request's loop. The race of the buggy adapter has nowhere to live: a
 * {@code CompletableFuture} runs dependents registered before or after its completion alike.
 *
 * <p>Why {@code track} and not {@code TrackedCalls.call}: the router submits the call to the
 * library before it registers its listener (the {@link AuthFuture} split), so the stage exists
 * first; {@code track} attaches the tracked completer to it when the request starts waiting.
 * The tracked completer is held only by the stage's dependents, and the stage only by the
 * library's callback: if the library ever dropped a call, the lost wake-up would still be proven.
 *
 * <h2>Thread safety</h2>
 * Shared by all loops; each future is used as documented on {@link AuthFuture}.
 */
public final class FixedAuthAdapter implements AuthAdapter {

    private final LegacyAuth library;
    private final ProbePoint waitPoint;

    /** An adapter over {@code library} whose requests wait on {@code waitPoint}. */
    public FixedAuthAdapter(LegacyAuth library, ProbePoint waitPoint) {
        this.library = library;
        this.waitPoint = waitPoint;
    }

    @Override
    public AuthFuture authenticate(String token, EventLoop loop) {
        CompletableFuture<AuthResult> answer = new CompletableFuture<>();
        library.authenticate(token, answer::complete);
        return new TrackedAuthFuture(answer, loop, waitPoint);
    }

    @Override
    public String name() {
        return "fixed";
    }

    /**
     * The library's answer, waited on through {@link TrackedCalls}.
     *
     * <h2>Thread safety and allocation</h2>
     * Used once, on the event loop. Per request: this object and the library's stage; per wait,
     * what {@link TrackedCalls#track} allocates (the completer, its future and phantom reference,
     * the delivered future) and the listener.
     */
    static final class TrackedAuthFuture implements AuthFuture {
        private final CompletableFuture<AuthResult> answer;
        private final EventLoop loop;
        private final ProbePoint waitPoint;

        TrackedAuthFuture(CompletableFuture<AuthResult> answer, EventLoop loop, ProbePoint waitPoint) {
            this.answer = answer;
            this.loop = loop;
            this.waitPoint = waitPoint;
        }

        @Override
        public void whenComplete(RequestContext context, AuthListener listener) {
            if (context == null) {
                // No request to track (the adapter driven on its own): deliver on the loop all the same.
                answer.thenAcceptAsync(r -> listener.onAuth(null, r), loop);
                return;
            }
            TrackedCalls.track(context.shard(), context.handle(), waitPoint, null, loop, answer)
                    .thenAccept(r -> listener.onAuth(context, r));
        }
    }
}
