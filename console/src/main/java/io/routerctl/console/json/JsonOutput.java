package io.routerctl.console.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.routerctl.playbooks.JsonDocuments;

/**
 * Writes {@code --json} documents: pretty-printed (people read them too), snake-case, nulls kept so
 * that every documented field is always present.
 *
 * <h2>Thread safety</h2>
 * Stateless; safe from any thread. Never returns {@code null}.
 */
public final class JsonOutput {

    private static final ObjectWriter PRETTY = JsonDocuments.mapper().writerWithDefaultPrettyPrinter();

    private JsonOutput() {
    }

    /** {@code document} as indented JSON, ending in a newline. */
    public static String pretty(Object document) {
        try {
            return PRETTY.writeValueAsString(document) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + document.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
