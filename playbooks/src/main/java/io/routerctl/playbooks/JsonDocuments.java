package io.routerctl.playbooks;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one JSON configuration of routerctl's own JVM (the console's {@code --json} documents,
 * snapshot files, playbook bundles): snake-case field names as on the wire, unknown fields ignored
 * (an older reader understands a newer writer), enums by their wire name (their
 * {@code toString()}), as probes' own codec writes them.
 *
 * <h2>Thread safety</h2>
 * The mapper is configured once and then only used, which Jackson makes safe from any thread.
 */
public final class JsonDocuments {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .enable(SerializationFeature.WRITE_ENUMS_USING_TO_STRING)
            .enable(DeserializationFeature.READ_ENUMS_USING_TO_STRING)
            .build();

    private JsonDocuments() {
    }

    /** The shared mapper. Never {@code null}. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
