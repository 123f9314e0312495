package io.routerctl.console;

import io.routerctl.console.testing.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code routerctl completion bash}, sourced by a real bash and asked what Tab would offer. */
class CompletionCommandTest {

    @TempDir
    Path dir;

    /** What the completion function offers for {@code words} (the last one being completed). */
    private List<String> complete(Path script, Path attachDir, String... words) throws Exception {
        StringBuilder w = new StringBuilder();
        for (String word : words) {
            w.append(" '").append(word.replace("'", "'\\''")).append('\'');
        }
        String program = "source '" + script + "' 2>/dev/null\n"
                + "COMP_WORDS=(" + w + ")\nCOMP_CWORD=$((${#COMP_WORDS[@]}-1))\nCOMP_LINE=\"${COMP_WORDS[*]}\"\n"
                + "_routerctl_complete 2>/dev/null\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n";
        ProcessBuilder pb = new ProcessBuilder("bash", "--norc", "--noprofile", "-c", program).redirectErrorStream(true);
        pb.environment().put("ROUTERCTL_ATTACH_DIR", attachDir.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        List<String> offered = new ArrayList<>();
        out.lines().filter(l -> !l.isEmpty()).forEach(offered::add);
        return offered;
    }

    private Path script(String shell) throws IOException {
        Cli.Result r = new Cli(dir).run("completion", shell);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Path script = dir.resolve("routerctl." + shell);
        Files.writeString(script, r.out());
        return script;
    }

    private static boolean hasBash() {
        try {
            return new ProcessBuilder("bash", "--version").start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void bashCompletesCommandsOptionsValuesAndTheLivePids() throws Exception {
        assumeTrue(hasBash(), "bash is not installed");
        Path script = script("bash");
        Path attachDir = Files.createDirectory(dir.resolve("attach"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try (ServerSocketChannel a = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
             ServerSocketChannel b = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            a.bind(UnixDomainSocketAddress.of(attachDir.resolve("4242.sock")));
            b.bind(UnixDomainSocketAddress.of(attachDir.resolve("5117.sock")));
            Files.writeString(attachDir.resolve("77.sock"), "a plain file, not a socket");

            assertThat(complete(script, attachDir, "routerctl", "dump-s")).containsExactly("dump-stuck");
            assertThat(complete(script, attachDir, "routerctl", "com")).containsExactly("completion");
            assertThat(complete(script, attachDir, "routerctl", "dump-stuck", "--fail")).containsExactly("--fail-if-stuck");
            assertThat(complete(script, attachDir, "routerctl", "completion", "")).containsExactly("bash", "zsh");
            assertThat(complete(script, attachDir, "routerctl", "dump-stuck", "--pid", ""))
                    .contains("4242", "5117").doesNotContain("77");
            assertThat(complete(script, attachDir, "routerctl", "top", "--pid", "51")).containsExactly("5117");
            assertThat(complete(script, attachDir, "routerctl", "attach", ""))
                    .as("the JVMs jps would list: this test's own among them")
                    .contains(Long.toString(ProcessHandle.current().pid()));
        }
    }

    @Test
    void zshGetsTheSameScriptThroughBashcompinit() throws Exception {
        String zsh = Files.readString(script("zsh"));
        assertThat(zsh).contains("bashcompinit").contains("_routerctl_complete")
                .isEqualTo(Files.readString(script("bash")));
        assertThat(new Cli(dir).run("completion", "fish").exitCode()).isEqualTo(2);
    }
}
