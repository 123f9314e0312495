package io.routerctl.attachtests;

import com.fasterxml.jackson.databind.JsonNode;
import io.routerctl.attachtests.ServiceProcess.Netty;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP/2 cleartext: each stream is a request of its connection. Real clients (curl with prior
 * knowledge, from known source ports); the stuck streams are listed with their path and the
 * service's handler, the answered ones are gone.
 */
class Http2StreamsTest {

    @TempDir
    Path attachDir;

    @Test
    void eachStuckStreamIsARequestOfItsConnection() throws Exception {
        Assumptions.assumeTrue(curlSpeaksHttp2(), "needs curl built with HTTP/2 (nghttp2) as the client");
        Cli cli = new Cli(attachDir);
        List<Process> curls = new ArrayList<>();
        try (ServiceProcess service = ServiceProcess.start("com.example.h2.QuoteService", Netty.V4_2, attachDir,
                List.of())) {
            Cli.Result attach = cli.run("attach", Long.toString(service.pid()));
            assertThat(attach.exitCode()).as(attach + service.output()).isZero();
            Process ok = curl(service.port(), "/quote", false);
            assertThat(ok.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(ok.getInputStream().readAllBytes())).isEqualTo("42\n");
            curls.add(curl(service.port(), "/stuck/0?q=1", true));
            JsonNode doc = AttachToTicketServiceTest.pollStuck(cli, service.pid(), tasks -> tasks.size() == 1);
            JsonNode t = doc.get("tasks").get(0);
            assertThat(t.get("kind").asText()).isEqualTo("request");
            assertThat(t.get("label").asText()).isEqualTo("GET /stuck/0");
            assertThat(t.get("last_step").asText()).isEqualTo("QuoteService$QuoteHandler (quote) returned");
            assertThat(t.get("parent").isNull()).isFalse();
            assertThat(AttachToTicketServiceTest.remotePort(t)).isBetween(CURL_PORT, CURL_PORT + 50);
        } finally {
            for (Process p : curls) {
                p.destroyForcibly();
            }
        }
    }

    static final int CURL_PORT = 45_321;

    static boolean curlSpeaksHttp2() {
        try {
            Process p = new ProcessBuilder("curl", "-V").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && out.contains("HTTP2");
        } catch (Exception e) {
            return false;
        }
    }

    private static Process curl(int port, String path, boolean knownPort) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-s", "--http2-prior-knowledge", "--max-time", "60"));
        if (knownPort) {
            cmd.addAll(List.of("--local-port", CURL_PORT + "-" + (CURL_PORT + 50)));
        }
        cmd.add("http://127.0.0.1:" + port + path);
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }
}
