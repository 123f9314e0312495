package io.routerctl.probes;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one grammar of durations, for options, playbooks, the sample and the agent alike. */
class DurationsTest {

    @Test
    void readsTheFormsPeopleType() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse("1m")).isEqualTo(Duration.ofMinutes(1));
        assertThat(Durations.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.parse("1d12h")).isEqualTo(Duration.ofHours(36));
        assertThat(Durations.parse("2m03s")).isEqualTo(Duration.ofSeconds(123));
        assertThat(Durations.parse("0")).isEqualTo(Duration.ZERO);
        assertThat(Durations.parse(" 250ms ")).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void aNumberWithoutAUnitIsRefusedWithTheLikelyFix() {
        assertThatThrownBy(() -> Durations.parse("3"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected a duration like 500ms, 5s, 1.5s, 1m or 1m30s, got '3' (missing unit: did you mean 3s?)");
    }

    @Test
    void garbageIsRefusedNamingWhatWasGiven() {
        for (String bad : new String[] {"5x", "s", "-5s", "5 s", "1.s", "ms5", "", "1m 30s", "1e3s", "\u001b[2J5s"}) {
            assertThatThrownBy(() -> Durations.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("expected a duration")
                    .hasMessageNotContaining("\n");
        }
        assertThatThrownBy(() -> Durations.parse("99999999999d")).hasMessageStartingWith("duration too long");
    }

    @Property(tries = 500)
    void theExactFormReadsBackAsTheSameDuration(@ForAll @LongRange(min = 0, max = 10L * 365 * 86_400_000L) long ms) {
        String text = Durations.formatExact(Duration.ofMillis(ms));
        assertThat(Durations.parse(text)).as(text).isEqualTo(Duration.ofMillis(ms));
    }

    @Test
    void theExactFormIsTheShortestReading() {
        assertThat(Durations.formatExact(Duration.ZERO)).isEqualTo("0");
        assertThat(Durations.formatExact(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(Durations.formatExact(Duration.ofMillis(1_500))).isEqualTo("1.5s");
        assertThat(Durations.formatExact(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(Durations.formatExact(Duration.ofHours(2))).isEqualTo("2h");
        assertThat(Durations.formatExact(Duration.ofMillis(93_784_005))).isEqualTo("1d2h3m4.005s");
    }
}
