package io.routerctl.console.context;

import io.routerctl.probes.Durations;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;

/**
 * Picocli converter for duration options ({@code --older-than 5s}); see {@link Durations} for the grammar, shared with playbooks and the sample.
 * A bad value becomes a usage error naming the option and the expected form.
 *
 * <h2>Thread safety</h2>
 * Stateless; safe from any thread. {@code convert} never returns {@code null}.
 */
public final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
