package io.routerctl.console.top;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * In flight and stuck over the last minutes, from the updates top already receives (nothing more
 * is asked of the target): what the header's sparklines draw.
 *
 * <h2>Thread safety</h2>
 * Confined to the UI thread, like the model that owns it.
 */
final class History {

    /** How far back the sparklines reach. */
    static final long WINDOW_MS = 5 * 60_000;
    /** Samples kept at most (an update a second for the window, and some slack). */
    static final int MAX_SAMPLES = 1_024;

    record Sample(long atEpochMs, long inFlight, long stuck) {
    }

    private final Deque<Sample> samples = new ArrayDeque<>();

    void add(long atEpochMs, long inFlight, long stuck) {
        Sample last = samples.peekLast();
        if (last != null && atEpochMs < last.atEpochMs()) {
            samples.clear(); // the target's clock went back (another process under the same name)
        }
        samples.addLast(new Sample(atEpochMs, inFlight, stuck));
        while (samples.size() > MAX_SAMPLES
                || (samples.size() > 1 && atEpochMs - samples.peekFirst().atEpochMs() > WINDOW_MS)) {
            samples.removeFirst();
        }
    }

    boolean isEmpty() {
        return samples.isEmpty();
    }

    /**
     * The window as {@code columns} columns ending at the latest sample, each the largest value of
     * its samples (a spike must not vanish between columns), {@link Sparkline#NONE} where there is
     * none.
     */
    long[] columns(int columns, boolean stuck) {
        long[] out = new long[Math.max(0, columns)];
        java.util.Arrays.fill(out, Sparkline.NONE);
        Sample last = samples.peekLast();
        if (last == null || columns <= 0) {
            return out;
        }
        double perColumn = (double) WINDOW_MS / columns;
        for (Sample s : samples) {
            long back = last.atEpochMs() - s.atEpochMs();
            int column = columns - 1 - (int) Math.floor(back / perColumn);
            if (column < 0) {
                continue;
            }
            long v = stuck ? s.stuck() : s.inFlight();
            out[column] = Math.max(out[column], v);
        }
        return out;
    }

    /** The largest value in the window. */
    long max(boolean stuck) {
        long max = 0;
        for (Sample s : samples) {
            max = Math.max(max, stuck ? s.stuck() : s.inFlight());
        }
        return max;
    }
}
