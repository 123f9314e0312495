package io.routerctl.console.testing;

import io.routerctl.console.context.ConsoleContext;
import io.routerctl.console.Routerctl;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

/** Runs routerctl in-process, as a user would type it, capturing what it prints. */
public final class Cli {

    private final ConsoleContext context;

    public Cli(Path attachDir) {
        this(ConsoleContext.withAttachDir(attachDir));
    }

    public Cli(ConsoleContext context) {
        this.context = context;
    }

    /** What one command line did. */
    public record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
        }
    }

    public Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Routerctl.run(context, new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }
}
