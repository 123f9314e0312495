package io.routerctl.probes.wire.json;

/**
 * A JSON text that could not be read, or a tree that does not fit the type asked for. The message
 * is one line and says where ({@code at column 17}) when it knows.
 *
 * <h2>Thread safety</h2>
 * Immutable.
 */
public final class JsonException extends Exception {

    public JsonException(String message) {
        super(message);
    }
}
