package io.routerctl.console.shell;

import io.routerctl.console.context.ConsoleContext;
import io.routerctl.console.attach.TargetSelector;
import io.routerctl.console.render.Durations;
import io.routerctl.playbooks.StockPlaybooks;
import io.routerctl.probes.attach.AttachTarget;
import io.routerctl.probes.snapshot.PointSnapshot;
import io.routerctl.probes.snapshot.TaskSnapshot;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import org.jline.reader.impl.completer.FileNameCompleter;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Tab completion in the shell: command names (routerctl's and the shell's own), each command's
 * options, and values: task ids and probe-point names fetched from the attached target, pids of
 * attachable processes, file names, stock playbook names, durations.
 *
 * <h2>Thread safety</h2>
 * Called on the line reader's thread; reads the attached target through a supplier.
 */
final class ShellCompleter implements Completer {

    /** Options whose value is a file name. */
    private static final Set<String> FILE_OPTIONS = Set.of("--from", "-o", "--output", "--out", "--socket");
    /** Options whose value is a step name. */
    private static final Set<String> STEP_OPTIONS = Set.of("--step");
    /** Options whose value is an await probe point. */
    private static final Set<String> AWAIT_OPTIONS = Set.of("--waiting-on");
    /** Options whose value is a duration. */
    private static final Set<String> DURATION_OPTIONS = Set.of("--older-than", "--timeout");

    private final ConsoleContext context;
    private final Supplier<ShellTarget> target;
    private final Map<String, String> shellCommands;
    private final FileNameCompleter files = new FileNameCompleter();

    ShellCompleter(ConsoleContext context, Supplier<ShellTarget> target, Map<String, String> shellCommands) {
        this.context = context;
        this.target = target;
        this.shellCommands = shellCommands;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        List<String> words = line.words();
        int index = line.wordIndex();
        CommandLine root = context.runner().commandLine(context);
        if (index == 0) {
            for (Map.Entry<String, CommandLine> e : root.getSubcommands().entrySet()) {
                String[] description = e.getValue().getCommandSpec().usageMessage().description();
                candidates.add(new Candidate(e.getKey(), e.getKey(), "commands",
                        description.length == 0 ? null : description[0], null, null, true));
            }
            shellCommands.forEach((name, help) ->
                    candidates.add(new Candidate(name, name, "shell", help, null, null, true)));
            return;
        }
        String command = words.get(0);
        String previous = index > 0 && index - 1 < words.size() ? words.get(index - 1) : "";
        String current = line.word();
        if (command.equals("attach")) {
            attachValues(reader, line, previous, current, candidates);
            return;
        }
        CommandLine sub = root.getSubcommands().get(command);
        if (sub == null) {
            return;
        }
        CommandSpec spec = sub.getCommandSpec();
        OptionSpec previousOption = previous.startsWith("-") ? spec.findOption(previous) : null;
        if (previousOption != null && previousOption.arity().min() > 0) {
            optionValues(reader, line, previousOption, candidates);
            return;
        }
        if (current.startsWith("-")) {
            for (OptionSpec o : spec.options()) {
                for (String name : o.names()) {
                    candidates.add(new Candidate(name, name, "options",
                            o.description().length == 0 ? null : o.description()[0], null, null, true));
                }
            }
            return;
        }
        positionals(reader, line, command, candidates);
    }

    private void attachValues(LineReader reader, ParsedLine line, String previous, String current,
                              List<Candidate> candidates) {
        if (previous.equals("--pid")) {
            pids(candidates);
        } else if (previous.equals("--socket")) {
            files.complete(reader, line, candidates);
        } else {
            candidates.add(new Candidate("--pid", "--pid", "options", "attach to this process", null, null, true));
            candidates.add(new Candidate("--socket", "--socket", "options", "attach through this socket", null, null, true));
        }
    }

    private void optionValues(LineReader reader, ParsedLine line, OptionSpec option, List<Candidate> candidates) {
        String name = option.longestName();
        if (name.equals("--pid")) {
            pids(candidates);
        } else if (FILE_OPTIONS.contains(name) || option.names()[0].equals("-o")) {
            files.complete(reader, line, candidates);
        } else if (STEP_OPTIONS.contains(name)) {
            points(candidates, "step");
        } else if (AWAIT_OPTIONS.contains(name)) {
            points(candidates, "await");
        } else if (DURATION_OPTIONS.contains(name)) {
            for (String d : List.of("500ms", "1s", "2s", "5s", "10s", "30s", "1m")) {
                candidates.add(new Candidate(d, d, "durations", null, null, null, true));
            }
        }
    }

    private void positionals(LineReader reader, ParsedLine line, String command, List<Candidate> candidates) {
        switch (command) {
            case "task" -> tasks(candidates);
            case "diff" -> {
                candidates.add(new Candidate("live", "live", "sources", "the attached target, now", null, null, true));
                files.complete(reader, line, candidates);
            }
            case "play" -> {
                for (String name : StockPlaybooks.NAMES) {
                    candidates.add(new Candidate(name, name, "stock playbooks", StockPlaybooks.summary(name),
                            null, null, true));
                }
                files.complete(reader, line, candidates);
            }
            case "help" -> context.runner().commandLine(context).getSubcommands().keySet()
                    .forEach(n -> candidates.add(new Candidate(n, n, "commands", null, null, null, true)));
            default -> {
                // No positional values to offer.
            }
        }
    }

    private void tasks(List<Candidate> candidates) {
        ShellTarget t = target.get();
        if (t == null) {
            return;
        }
        try {
            for (TaskSnapshot task : t.tasks()) {
                String id = Long.toString(task.id());
                String description = task.kind() + " " + task.state()
                        + (task.lastStep() == null ? "" : " after " + task.lastStep())
                        + (task.waitingOn() == null ? "" : ", waiting on " + task.waitingOn())
                        + ", idle " + Durations.format(task.idleMs());
                candidates.add(new Candidate(id, id, task.stuck() ? "stuck tasks" : "tasks", description, null, null,
                        true));
            }
        } catch (Exception e) {
            // Completion is best effort: a target that went away offers nothing.
        }
    }

    private void points(List<Candidate> candidates, String kind) {
        ShellTarget t = target.get();
        if (t == null) {
            return;
        }
        try {
            for (PointSnapshot p : t.points()) {
                if (p.kind().equals(kind)) {
                    candidates.add(new Candidate(p.name(), p.name(), kind + " points", p.location(), null, null, true));
                }
            }
        } catch (Exception e) {
            // Best effort, as above.
        }
    }

    private void pids(List<Candidate> candidates) {
        for (AttachTarget t : new TargetSelector(context.attachDirs(), Duration.ofSeconds(1)).targets()) {
            String pid = Long.toString(t.pid());
            candidates.add(new Candidate(pid, pid, "processes", t.socket().toString(), null, null, true));
        }
    }
}
