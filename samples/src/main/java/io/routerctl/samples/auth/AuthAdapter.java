package io.routerctl.samples.auth;

import io.netty.channel.EventLoop;
import io.routerctl.probes.ProbePoint;

/**
 * Turns {@link LegacyAuth}'s callback into an {@link AuthFuture} completed on an event loop.
 *
 * <h2>Thread safety</h2>
 * Implementations are shared by all event loops and safe for that.
 */
public interface AuthAdapter {

    /** Submits {@code token} to the library; the future completes on {@code loop}. */
    AuthFuture authenticate(String token, EventLoop loop);

    /** {@code buggy} or {@code fixed}, as the command line names it. */
    String name();

    /**
     * The adapter named {@code name} over {@code library}; a request waits on {@code waitPoint}
     * (the caller's await probe point, e.g. the router's {@code auth}) while the library works.
     */
    static AuthAdapter named(String name, LegacyAuth library, ProbePoint waitPoint) {
        return switch (name) {
            case "buggy" -> new BuggyAuthAdapter(library, waitPoint);
            case "fixed" -> new FixedAuthAdapter(library, waitPoint);
            default -> throw new IllegalArgumentException("unknown auth adapter '" + name + "' (buggy or fixed)");
        };
    }
}
