package io.routerctl.attachtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.routerctl.console.Routerctl;
import io.routerctl.console.context.ConsoleContext;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

/** The real {@code routerctl} command line, run in this JVM with its output captured. */
final class Cli {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Result(int exitCode, String out, String err) {
        JsonNode json() throws IOException {
            return JSON.readTree(out);
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    private final Path attachDir;

    Cli(Path attachDir) {
        this.attachDir = attachDir;
    }

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Routerctl.run(ConsoleContext.withAttachDir(attachDir), new PrintWriter(out), new PrintWriter(err),
                args);
        return new Result(code, out.toString(), err.toString());
    }
}
