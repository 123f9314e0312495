package io.routerctl.console.render;

import io.routerctl.console.render.TextTable.Align;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TextTableTest {

    @Test
    void alignsColumnsTwoSpacesApartWithoutTrailingSpaces() {
        String text = new TextTable()
                .column("ID", Align.RIGHT)
                .column("STATE", Align.LEFT)
                .column("NOTE", Align.LEFT)
                .row("7", "waiting", "x")
                .row("1234", "running", null)
                .render();
        assertThat(text).isEqualTo(
                "  ID  STATE    NOTE\n"
                        + "   7  waiting  x\n"
                        + "1234  running  -\n");
    }

    @Test
    void emptyTableIsJustTheHeader() {
        assertThat(new TextTable().column("PID", Align.RIGHT).column("NAME", Align.LEFT).render())
                .isEqualTo("PID  NAME\n");
    }

    @Test
    void rowWithWrongCellCountIsRejected() {
        TextTable t = new TextTable().column("A", Align.LEFT);
        assertThatThrownBy(() -> t.row("1", "2")).isInstanceOf(IllegalArgumentException.class);
    }
}
