package io.routerctl.probes.wire;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one JSON configuration of routerctl: snake-case field names, unknown fields ignored (so an
 * older reader understands a newer writer), no indentation on the wire.
 *
 * <h2>Thread safety</h2>
 * The mapper is configured once and then only used, which Jackson makes safe from any thread.
 */
public final class WireJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    private WireJson() {
    }

    /** The shared mapper. Never {@code null}. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
