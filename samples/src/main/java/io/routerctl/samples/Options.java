package io.routerctl.samples;

import io.routerctl.probes.Durations;
import io.routerctl.samples.auth.LatencyRange;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.util.Locale;

/**
 * Option value converters shared by the sample commands, each with a one-line error message.
 *
 * <h2>Thread safety</h2>
 * Stateless.
 */
final class Options {

    private Options() {
    }

    /** A duration in routerctl's one grammar ({@link Durations}): {@code 500ms}, {@code 30s}, {@code 1m30s}. */
    static Duration parseDuration(String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return parseDuration(value);
        }
    }

    static final class LatencyConverter implements ITypeConverter<LatencyRange> {
        @Override
        public LatencyRange convert(String value) {
            try {
                return LatencyRange.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** "on" or "off", normalised; a String, not a boolean, so that picocli takes a value rather than a flag. */
    static final class OnOffConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "on" -> "on";
                case "off" -> "off";
                default -> throw new TypeConversionException("expected on or off, got '" + value + "'");
            };
        }
    }

    static final class AdapterConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (!value.equals("buggy") && !value.equals("fixed")) {
                throw new TypeConversionException("expected buggy or fixed, got '" + value + "'");
            }
            return value;
        }
    }

    static final class MisbehaveConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (!value.equals("none") && !value.equals("block-loop")) {
                throw new TypeConversionException("expected none or block-loop, got '" + value + "'");
            }
            return value;
        }
    }

    static final class StepTraceConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (!value.equals("none") && !value.equals("log") && !value.equals("jfr")) {
                throw new TypeConversionException("expected none, log or jfr, got '" + value + "'");
            }
            return value;
        }
    }

    /** The router options both commands share. */
    static final class RouterOptions {
        @CommandLine.Option(names = "--loops", paramLabel = "N",
                description = "event loops (one per core by default: ${DEFAULT-VALUE})")
        int loops = Runtime.getRuntime().availableProcessors();

        @CommandLine.Option(names = "--auth-adapter", paramLabel = "buggy|fixed", converter = AdapterConverter.class,
                description = "the hand-written auth adapter: buggy loses wake-ups under load (default ${DEFAULT-VALUE})")
        String adapter = "buggy";

        @CommandLine.Option(names = "--tracking", paramLabel = "on|off", converter = OnOffConverter.class,
                description = "track connections and requests in the registry (default on)")
        String tracking = "on";

        @CommandLine.Option(names = "--auth-latency", paramLabel = "DURATION|MIN..MAX", converter = LatencyConverter.class,
                description = "the auth library's backend round trip, e.g. 0, 2ms, 2ms..8ms (default 2ms..8ms)")
        LatencyRange authLatency = LatencyRange.parse("2ms..8ms");

        @CommandLine.Option(names = "--auth-threads", paramLabel = "N",
                description = "threads of the auth library (default ${DEFAULT-VALUE})")
        int authThreads = 2;

        @CommandLine.Option(names = "--misbehave", paramLabel = "none|block-loop", converter = MisbehaveConverter.class,
                description = "a second pathology: block-loop makes GET /api/report render a report on the "
                        + "event loop, blocking it for --block-for (default ${DEFAULT-VALUE})")
        String misbehave = "none";

        @CommandLine.Option(names = "--block-for", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "how long one /api/report render blocks its loop with --misbehave block-loop (default 3s)")
        Duration blockFor = Duration.ofSeconds(3);

        @CommandLine.Option(names = "--step-trace", paramLabel = "none|log|jfr", converter = StepTraceConverter.class,
                description = "also trace every step: log = a Logback line per step to --step-log, "
                        + "jfr = a JFR event per step recorded to --step-log (default ${DEFAULT-VALUE})")
        String stepTrace = "none";

        @CommandLine.Option(names = "--step-log", paramLabel = "FILE",
                description = "where --step-trace writes (default routerctl-steps.log or .jfr)")
        java.nio.file.Path stepLog;

        void validate(CommandLine cmd) {
            if (loops < 1 || loops > 255) {
                throw new CommandLine.ParameterException(cmd, "--loops must be 1..255, got " + loops);
            }
            if (authThreads < 1 || authThreads > 16) {
                throw new CommandLine.ParameterException(cmd, "--auth-threads must be 1..16, got " + authThreads);
            }
        }

        SampleServer.Options toServerOptions() {
            return new SampleServer.Options().loops(loops).adapter(adapter).tracking("on".equals(tracking))
                    .authLatency(authLatency).authThreads(authThreads).stepTrace(stepTrace).stepLog(stepLog)
                    .misbehave(misbehave, blockFor);
        }
    }
}
