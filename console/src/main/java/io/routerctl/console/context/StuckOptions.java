package io.routerctl.console.context;

import io.routerctl.probes.snapshot.TaskQuery;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

import java.time.Duration;

/**
 * What "stuck" means, declared once for every command that asks ({@code dump-stuck}, {@code top},
 * {@code task}, {@code loops}, {@code snapshot}, {@code diff}, {@code demo}): no progress for
 * {@code --older-than} (default 5 s), or, by the adaptive rule (on unless {@code --no-adaptive}), a
 * wait longer than max(1 s, 10 x its probe point's p99). The target's Micrometer meters and JFR
 * summary count by the same defaults ({@link TaskQuery#DEFAULT_OLDER_THAN_MS}, adaptive on), so
 * every screen agrees on the same moment.
 *
 * <pre>{@code
 * private final StuckOptions stuck = new StuckOptions(spec);
 * ... TaskQuery.stuck(stuck.olderThanMs(), limit).withAdaptive(stuck.adaptive()) ...
 * }</pre>
 *
 * <h2>Thread safety</h2>
 * Filled in by picocli on the parsing thread; read it on that thread.
 */
public final class StuckOptions {

    /** The default threshold, as the target's own default ({@link TaskQuery#DEFAULT_OLDER_THAN_MS}). */
    public static final String DEFAULT_OLDER_THAN = "5s";

    private final Arg<Duration> olderThan;
    private final Arg<Boolean> adaptive;

    /** Adds {@code --older-than} and {@code --[no-]adaptive} to {@code command}, after its options so far. */
    public StuckOptions(CommandSpec command) {
        olderThan = Arg.option(command, OptionSpec.builder("--older-than").paramLabel("DURATION").type(Duration.class)
                .defaultValue(DEFAULT_OLDER_THAN).converters(new DurationConverter())
                .description("Stuck means no progress for at least this long, e.g. 500ms, 5s, 1m (default: ${DEFAULT-VALUE})."));
        adaptive = Arg.option(command, OptionSpec.builder("--adaptive").negatable(true).type(boolean.class)
                .defaultValue("true").fallbackValue("true")
                .description("Also stuck: a wait longer than max(1s, 10 x its probe point's p99), the adaptive rule "
                        + "(default: on; --no-adaptive leaves --older-than alone)."));
    }

    /** The threshold in milliseconds. */
    public long olderThanMs() {
        Duration d = olderThan.get();
        return d == null ? TaskQuery.DEFAULT_OLDER_THAN_MS : d.toMillis();
    }

    /** The threshold. */
    public Duration olderThan() {
        Duration d = olderThan.get();
        return d == null ? Duration.ofMillis(TaskQuery.DEFAULT_OLDER_THAN_MS) : d;
    }

    /** Whether the adaptive rule applies too. */
    public boolean adaptive() {
        return adaptive.get() == null || adaptive.on();
    }

    /** Rejects a negative threshold as a usage error. */
    public void validate(CommandSpec spec) {
        if (olderThan().isNegative()) {
            throw new ParameterException(spec.commandLine(), "--older-than must not be negative");
        }
    }
}
