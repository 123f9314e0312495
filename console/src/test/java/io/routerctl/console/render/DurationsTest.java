package io.routerctl.console.render;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How durations read on screen. */
class DurationsTest {

    @Test
    void formatsCompactlyPerMagnitude() {
        assertThat(Durations.format(0)).isEqualTo("0ms");
        assertThat(Durations.format(850)).isEqualTo("850ms");
        assertThat(Durations.format(999)).isEqualTo("999ms");
        assertThat(Durations.format(1_000)).isEqualTo("1s");
        assertThat(Durations.format(5_000)).isEqualTo("5s");
        assertThat(Durations.format(9_800)).isEqualTo("9.8s");
        assertThat(Durations.format(12_400)).isEqualTo("12.4s");
        assertThat(Durations.format(120_000)).isEqualTo("2m");
        assertThat(Durations.format(123_000)).isEqualTo("2m03s");
        assertThat(Durations.format(3_900_000)).isEqualTo("1h05m");
        assertThat(Durations.format(2 * 86_400_000L + 4 * 3_600_000L)).isEqualTo("2d04h");
    }

    @Test
    void formatTruncatesSoAgesAreNeverOverstatedAndUnitsNeverRollOver() {
        assertThat(Durations.format(9_870)).isEqualTo("9.8s");
        assertThat(Durations.format(59_999)).isEqualTo("59.9s");
        assertThat(Durations.format(3_599_999)).isEqualTo("59m59s");
    }

    @Test
    void negativeDurationsPrintAsZero() {
        assertThat(Durations.format(-5)).isEqualTo("0ms");
    }

    /** What the console shows for a threshold can be typed back as an option (the one grammar). */
    @Test
    void formattedThresholdsParseBackToTheSameValue() {
        for (long ms : new long[] {0, 1, 500, 999, 1_000, 5_000, 1_500, 60_000, 90_000, 3_600_000, 3_660_000}) {
            assertThat(io.routerctl.probes.Durations.parse(Durations.format(ms)).toMillis()).as("%d ms", ms)
                    .isEqualTo(ms);
        }
    }
}
