package io.routerctl.console.top;

import io.routerctl.probes.attach.AttachException;

/**
 * How {@code top} reaches its target, again and again: once at start and after every time the target
 * goes away. The connector decides what counts as "the target is back": the same socket, or (when the
 * user chose a target by name) any process of that name.
 *
 * <h2>Thread safety</h2>
 * {@link #connect()} is called from the session's I/O thread, one call at a time; {@link #describe()}
 * from any thread.
 */
public interface TopConnector {

    /** Connects now and reads the target's hello; never returns {@code null}. */
    TopConnection connect() throws AttachException;

    /** How the target was chosen, for the screen and errors: {@code pid 4242}, {@code name sample-router}. */
    String describe();

    /**
     * For a connector over a saved snapshot, what the header shows instead of the link's health
     * ({@code snapshot s.json taken ...}); {@code null} (the default) for a live target.
     */
    default String frozenLabel() {
        return null;
    }
}
