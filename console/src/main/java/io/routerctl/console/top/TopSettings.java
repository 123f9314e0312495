package io.routerctl.console.top;

import io.routerctl.probes.snapshot.TaskQuery;

import java.time.Duration;
import java.util.Objects;

/**
 * What a {@code top} session was started with.
 *
 * <h2>Thread safety</h2>
 * Immutable.
 *
 * @param interval          how often the target sends an update (100 ms to 60 s, as the protocol allows)
 * @param olderThanMs       the stuck threshold
 * @param filter            the initial filter regex, or {@code null}
 * @param initialWindowRows rows asked of the target at first
 * @param maxWindowRows     the most rows ever asked for, however far the user scrolls
 * @param adaptive          also call a wait stuck by its probe point's history ({@code docs/detectors.md})
 */
public record TopSettings(Duration interval, long olderThanMs, String filter, int initialWindowRows,
                          int maxWindowRows, boolean adaptive) {

    /** Rows asked for at first: a few screens. */
    public static final String WINDOW_ROWS_PROPERTY = "routerctl.top.windowRows";
    public static final int WINDOW_ROWS_DEFAULT = 200;
    /** The cap on rows asked for as the user scrolls down: bounds the console's memory. */
    public static final String MAX_ROWS_PROPERTY = "routerctl.top.maxRows";
    public static final int MAX_ROWS_DEFAULT = 2_000;

    public static final Duration MIN_INTERVAL = Duration.ofMillis(100);
    public static final Duration MAX_INTERVAL = Duration.ofSeconds(60);

    public TopSettings {
        Objects.requireNonNull(interval, "interval");
        if (interval.compareTo(MIN_INTERVAL) < 0 || interval.compareTo(MAX_INTERVAL) > 0) {
            throw new IllegalArgumentException("--interval must be between 100ms and 60s, got " + interval.toMillis() + "ms");
        }
        if (olderThanMs < 0) {
            throw new IllegalArgumentException("--older-than must not be negative");
        }
        if (filter != null && filter.isEmpty()) {
            filter = null;
        }
        initialWindowRows = Math.max(1, Math.min(initialWindowRows, TaskQuery.MAX_LIMIT));
        maxWindowRows = Math.max(initialWindowRows, Math.min(maxWindowRows, TaskQuery.MAX_LIMIT));
    }

    /** Settings without the adaptive rule. */
    public TopSettings(Duration interval, long olderThanMs, String filter, int initialWindowRows, int maxWindowRows) {
        this(interval, olderThanMs, filter, initialWindowRows, maxWindowRows, false);
    }

    /** Settings with the window sizes from the system properties (or their defaults). */
    public static TopSettings of(Duration interval, long olderThanMs, String filter, boolean adaptive) {
        return new TopSettings(interval, olderThanMs, filter,
                Integer.getInteger(WINDOW_ROWS_PROPERTY, WINDOW_ROWS_DEFAULT),
                Integer.getInteger(MAX_ROWS_PROPERTY, MAX_ROWS_DEFAULT), adaptive);
    }
}
