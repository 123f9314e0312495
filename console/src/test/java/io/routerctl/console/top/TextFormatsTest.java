package io.routerctl.console.top;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TextFormatsTest {

    @Test
    void durationsAreShortAndKeepTheirUnit() {
        assertThat(TimeText.duration(850)).isEqualTo("850ms");
        assertThat(TimeText.duration(9_800)).isEqualTo("9.8s");
        assertThat(TimeText.duration(185_000)).isEqualTo("3m05s");
        assertThat(TimeText.duration(3_723_000)).isEqualTo("1h02m");
        assertThat(TimeText.duration(2L * 86_400_000 + 3_600_000)).isEqualTo("2d01h");
        assertThat(TimeText.duration((Long) null)).isEqualTo("-");
        assertThat(TimeText.offset(0.012)).isEqualTo("0.012ms");
        assertThat(TimeText.offset(2.44)).isEqualTo("2.4ms");
        assertThat(TimeText.offset(2_100)).isEqualTo("2.1s");
    }

    @Test
    void optionDurationsAcceptTheUsualUnits() {
        assertThat(DurationText.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationText.parse("1s")).isEqualTo(Duration.ofSeconds(1));
        assertThat(DurationText.parse("1.5s")).isEqualTo(Duration.ofMillis(1_500));
        assertThat(DurationText.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(DurationText.parse("5")).isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> DurationText.parse("soon")).hasMessageContaining("'soon' is not a duration");
    }

    @Test
    void cellsCutWithAnEllipsisAndPadToWidth() {
        assertThat(Cells.cut("upstream-request-sent", 10)).isEqualTo("upstream-…");
        assertThat(Cells.left("auth", 6)).isEqualTo("auth  ");
        assertThat(Cells.right("9.8s", 6)).isEqualTo("  9.8s");
    }
}
