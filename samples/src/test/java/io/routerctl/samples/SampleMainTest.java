package io.routerctl.samples;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SampleMainTest {

    @TempDir
    static Path attachDir;

    @BeforeAll
    static void ownAttachDir() {
        System.setProperty("routerctl.attach.dir", attachDir.toString());
    }

    record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SampleMain.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void badOptionValuePrintsOneLineAndExits2() {
        Run r = run("sample", "--auth-adapter", "wobbly");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines()).singleElement().asString()
                .startsWith("routerctl sample: ").contains("expected buggy or fixed");
    }

    @Test
    void badLatencyAndTrackingValuesAreUsageErrors() {
        assertThat(run("sample", "--auth-latency", "soon").code()).isEqualTo(2);
        assertThat(run("sample", "--tracking", "maybe").code()).isEqualTo(2);
        assertThat(run("demo", "--rate", "0").code()).isEqualTo(2);
        Run r = run("demo", "--duration", "forever");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("routerctl demo: ");
    }

    @Test
    void unknownMisbehaviourIsAUsageError() {
        Run r = run("sample", "--misbehave", "leak-memory");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines()).singleElement().asString()
                .startsWith("routerctl sample: ").contains("expected none or block-loop");
    }

    @Test
    void unknownOptionOrCommandExits2() {
        assertThat(run("sample", "--colour").code()).isEqualTo(2);
        Run r = run("serve");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(run().code()).isEqualTo(2);
    }

    @Test
    void helpListsOptionsAndExamples() {
        Run sample = run("sample", "--help");
        assertThat(sample.code()).isZero();
        assertThat(sample.out()).contains("--port", "--loops", "--auth-adapter", "--tracking", "--auth-latency",
                "--step-trace", "Examples:", "routerctl sample --port 9090 --auth-adapter fixed",
                "--misbehave=none|block-loop", "GET /api/report", "--block-for", "routerctl sample --misbehave block-loop");
        Run demo = run("demo", "--help");
        assertThat(demo.code()).isZero();
        assertThat(demo.out()).contains("--rate", "--watch-parent", "Examples:", "routerctl demo --rate 500");
    }

    @Test
    void demoRunsForItsDurationPrintsWhatRunsAndStops() {
        Run r = run("demo", "--duration", "2s", "--rate", "50", "--auth-adapter", "fixed", "--status-every", "1s",
                "--loops", "2");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("routerctl demo\n")
                .containsPattern("  router    http://127\\.0\\.0\\.1:\\d+  \\(2 event loops, (epoll|nio), auth adapter: fixed\\)")
                .containsPattern("  upstream  127\\.0\\.0\\.1:\\d+")
                .contains("  pid       " + ProcessHandle.current().pid())
                .contains("  attach    ")
                .containsPattern("done: sent \\d+, answered \\d+, unanswered 0 ");
    }
}
