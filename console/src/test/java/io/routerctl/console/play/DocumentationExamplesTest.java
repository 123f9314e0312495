package io.routerctl.console.play;

import io.routerctl.console.play.testing.Harness;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Every playbook example in docs/playbooks.md parses (a parse error fails the test), so the documentation cannot drift from the parser. */
@ExtendWith(Harness.Cleanup.class)
class DocumentationExamplesTest {

    @TempDir
    Path dir;

    @Test
    void everyPlaybookExampleInTheDocsParses() throws Exception {
        String doc = Files.readString(Path.of("../docs/playbooks.md"));
        Matcher m = Pattern.compile("```playbook\n(.*?)```", Pattern.DOTALL).matcher(doc);
        List<String> examples = new ArrayList<>();
        while (m.find()) {
            examples.add(m.group(1));
        }
        assertThat(examples).hasSizeGreaterThanOrEqualTo(9);
        Harness h = new Harness(dir);
        for (String example : examples) {
            // queries of diff and loops need those commands before them, as in a real playbook
            assertThat(example).isNotBlank();
            h.parse("diff a.json b.json\nloops\n" + example + "\n");
        }
    }
}
