package io.routerctl.console.render;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationsTest {

    @Test
    void parsesTheFormsPeopleType() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse("1m")).isEqualTo(Duration.ofMinutes(1));
        assertThat(Durations.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.parse("0")).isEqualTo(Duration.ZERO);
        assertThat(Durations.parse(" 250ms ")).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void rejectsANumberWithoutUnitSayingSo() {
        assertThatThrownBy(() -> Durations.parse("5"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing unit")
                .hasMessageContaining("500ms");
    }

    @Test
    void rejectsGarbageNamingWhatWasGiven() {
        for (String bad : new String[] {"5x", "s", "-5s", "5 s", "1.s", "ms5", ""}) {
            assertThatThrownBy(() -> Durations.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("expected a duration");
        }
    }

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

    @Test
    void formattedThresholdsParseBackToTheSameValue() {
        for (long ms : new long[] {0, 1, 500, 999, 1_000, 5_000, 1_500, 60_000, 90_000, 3_600_000, 3_660_000}) {
            assertThat(Durations.parse(Durations.format(ms)).toMillis()).as("%d ms", ms).isEqualTo(ms);
        }
    }
}
