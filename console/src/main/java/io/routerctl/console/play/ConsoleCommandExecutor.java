package io.routerctl.console.play;

import com.fasterxml.jackson.databind.JsonNode;
import io.routerctl.console.context.ConsoleContext;
import io.routerctl.console.context.ExitCode;
import io.routerctl.console.context.CommandRunner;
import io.routerctl.console.context.UsageProblems;
import io.routerctl.playbooks.ArgumentProblem;
import io.routerctl.playbooks.CommandExecutor;
import io.routerctl.playbooks.CommandResult;
import io.routerctl.playbooks.CommandSet;
import io.routerctl.playbooks.TargetUnreachableException;
import io.routerctl.probes.snapshot.TargetInfo;
import io.routerctl.playbooks.JsonDocuments;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Runs a playbook's commands through routerctl's own command set, in-process, against one target:
 * each command line goes to the context's {@link CommandRunner} with output captured, exactly as typed on the
 * command line. The text is what the command prints; the JSON is the document it printed (every
 * data command hands it to {@link ConsoleContext#documents()}), so one run gives both and the
 * target is asked once.
 *
 * <h2>Thread safety</h2>
 * One command at a time, from the thread running the playbook.
 */
public final class ConsoleCommandExecutor implements CommandExecutor {

    private final ConsoleContext context;
    private final Path socket;
    private final TargetInfo target;

    /**
     * @param context the surroundings (attach directory)
     * @param socket  the target's attach socket, or {@code null} for a dry run that attaches nowhere
     * @param target  the target's hello, or {@code null} with {@code socket}
     */
    public ConsoleCommandExecutor(ConsoleContext context, Path socket, TargetInfo target) {
        this.context = socket == null ? context : context.withDefaultSocket(socket);
        this.socket = socket;
        this.target = target;
    }

    @Override
    public CommandSet commands() {
        return CommandSet.standard();
    }

    @Override
    public Optional<ArgumentProblem> check(List<String> args) {
        CommandLine cl = context.runner().commandLine(context);
        try {
            cl.parseArgs(args.toArray(new String[0]));
            return Optional.empty();
        } catch (ParameterException e) {
            return Optional.of(new ArgumentProblem(indexOf(args, e), problem(e)));
        }
    }

    private static int indexOf(List<String> args, ParameterException e) {
        String word = null;
        if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            word = u.getUnmatched().get(0);
        } else if (e.getValue() != null) {
            word = e.getValue();
        }
        int i = word == null ? -1 : args.lastIndexOf(word);
        return Math.max(i, 0);
    }

    private static String problem(ParameterException e) {
        return UsageProblems.describe(e);
    }

    @Override
    public CommandResult execute(List<String> args) throws TargetUnreachableException, InterruptedException {
        List<Object> documents = new ArrayList<>();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandRunner.Outcome outcome = context.runner().run(context.withDocuments(documents::add),
                new PrintWriter(out), new PrintWriter(err), args);
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted while running " + args.get(0));
        }
        int code = outcome.exitCode();
        if (code == ExitCode.CANNOT_ATTACH) {
            throw new TargetUnreachableException(outcome.error() == null ? "cannot attach" : outcome.error());
        }
        JsonNode json = documents.isEmpty() ? null
                : JsonDocuments.mapper().valueToTree(documents.get(documents.size() - 1));
        String text = out.toString();
        if (!err.toString().isEmpty() && code != ExitCode.USAGE) {
            text = text + err;
        }
        return new CommandResult(code, text, json, code == ExitCode.USAGE || code >= ExitCode.CANNOT_ATTACH
                ? outcome.error() : null);
    }

    @Override
    public String describeTarget() {
        if (target == null) {
            return "no target (dry run)";
        }
        return "pid " + target.pid() + " (" + target.name() + "), socket " + socket;
    }

    @Override
    public Set<String> detectors() {
        return target == null ? Set.of() : new LinkedHashSet<>(target.detectors());
    }
}
