package io.routerctl.console.top;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TextFormatsTest {

    @Test
    void stepOffsetsKeepSubMillisecondPrecision() {
        assertThat(TimeText.duration(9_800)).as("as the rest of the console writes it").isEqualTo("9.8s");
        assertThat(TimeText.duration((Long) null)).isEqualTo("-");
        assertThat(TimeText.offset(0.012)).isEqualTo("0.012ms");
        assertThat(TimeText.offset(2.44)).isEqualTo("2.4ms");
        assertThat(TimeText.offset(2_100)).isEqualTo("2.1s");
    }

    @Test
    void cellsCutWithAnEllipsisAndPadToWidth() {
        assertThat(Cells.cut("upstream-request-sent", 10)).isEqualTo("upstream-…");
        assertThat(Cells.left("auth", 6)).isEqualTo("auth  ");
        assertThat(Cells.right("9.8s", 6)).isEqualTo("  9.8s");
    }
}
