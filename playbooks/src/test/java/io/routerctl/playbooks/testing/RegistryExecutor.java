package io.routerctl.playbooks.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.routerctl.playbooks.ArgumentProblem;
import io.routerctl.playbooks.CommandExecutor;
import io.routerctl.playbooks.CommandResult;
import io.routerctl.playbooks.CommandSet;
import io.routerctl.playbooks.Durations;
import io.routerctl.playbooks.TargetUnreachableException;
import io.routerctl.probes.TaskRegistry;
import io.routerctl.probes.snapshot.LoopSnapshot;
import io.routerctl.probes.snapshot.StuckGroup;
import io.routerctl.probes.snapshot.TargetInfo;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskReport;
import io.routerctl.probes.snapshot.TaskSnapshot;
import io.routerctl.playbooks.JsonDocuments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link CommandExecutor} that answers routerctl's read commands from a real in-process
 * {@link TaskRegistry}, the way the console answers them from a target over the wire: dump-stuck,
 * loops, snapshot (to a file), diff (of two snapshot files), task, with their options checked.
 * The JSON follows the documents described in docs/playbooks.md.
 */
public final class RegistryExecutor implements CommandExecutor {

    private static final ObjectMapper JSON = JsonDocuments.mapper();

    private final TaskRegistry registry;
    private final Path workingDir;
    private final TargetInfo target = new TargetInfo(4242, "sample-router", 1_764_050_000_000L, 5_000, 2, 1, "17");
    private final Set<String> detectors = new LinkedHashSet<>();
    private final List<List<String>> executed = new ArrayList<>();
    private boolean reachable = true;
    private int unreachableAfter = Integer.MAX_VALUE;

    public RegistryExecutor(TaskRegistry registry, Path workingDir) {
        this.registry = registry;
        this.workingDir = workingDir;
    }

    /** The target stops answering (its process is gone). */
    public void goAway() {
        reachable = false;
    }

    /** The target answers {@code n} more commands, then is gone. */
    public void goAwayAfter(int n) {
        unreachableAfter = executed.size() + n;
    }

    /** The target runs this detector. */
    public void addDetector(String name) {
        detectors.add(name);
    }

    /** Every command line executed, in order. */
    public List<List<String>> executed() {
        return List.copyOf(executed);
    }

    @Override
    public CommandSet commands() {
        return CommandSet.standard();
    }

    @Override
    public Optional<ArgumentProblem> check(List<String> args) {
        try {
            options(args);
            return Optional.empty();
        } catch (Problem p) {
            return Optional.of(p.problem);
        }
    }

    @Override
    public String describeTarget() throws TargetUnreachableException {
        if (!reachable) {
            throw new TargetUnreachableException("no process behind /tmp/routerctl-test/4242.sock");
        }
        return "pid " + target.pid() + " (" + target.name() + "), socket /tmp/routerctl-test/4242.sock";
    }

    @Override
    public Set<String> detectors() throws TargetUnreachableException {
        describeTarget();
        return Set.copyOf(detectors);
    }

    @Override
    public CommandResult execute(List<String> args) throws TargetUnreachableException {
        if (!reachable || executed.size() >= unreachableAfter) {
            throw new TargetUnreachableException("no process behind /tmp/routerctl-test/4242.sock");
        }
        executed.add(List.copyOf(args));
        Map<String, String> o;
        try {
            o = options(args);
        } catch (Problem p) {
            return new CommandResult(2, "", null, "routerctl " + args.get(0) + ": " + p.problem.message());
        }
        long olderThan = o.containsKey("--older-than") ? Durations.parse(o.get("--older-than")).toMillis() : 5_000;
        try {
            return switch (args.get(0)) {
                case "dump-stuck" -> dumpStuck(olderThan, Integer.parseInt(o.getOrDefault("--limit", "100")),
                        o.containsKey("--fail-if-stuck"));
                case "loops" -> loops(olderThan);
                case "snapshot" -> snapshot(olderThan, o.get("-o"));
                case "diff" -> diff(o.get("1"), o.get("2"), olderThan);
                case "task" -> task(Long.parseLong(o.get("1")), olderThan);
                default -> CommandResult.ok(args.get(0) + ": nothing to show in tests\n", null);
            };
        } catch (IOException e) {
            return new CommandResult(2, "", null, "routerctl " + args.get(0) + ": " + e.getMessage());
        }
    }

    private CommandResult dumpStuck(long olderThan, int limit, boolean failIfStuck) {
        TaskReport r = registry.query(TaskQuery.stuck(olderThan, limit));
        ObjectNode doc = JSON.createObjectNode();
        doc.put("version", 1);
        doc.set("target", JSON.valueToTree(target));
        doc.put("older_than_ms", olderThan);
        ObjectNode summary = doc.putObject("summary");
        summary.put("in_flight", r.inFlight());
        summary.put("stuck", r.stuck());
        summary.put("matched", r.matched());
        summary.put("refused", r.refused());
        summary.set("groups", groups(r.groups()));
        doc.set("tasks", JSON.valueToTree(r.tasks()));
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "%-8s %-8s %-18s %-7s %-8s %-8s %-16s %s%n",
                "ID", "KIND", "REMOTE", "LOOP", "AGE", "STATE", "LAST STEP", "WAITING ON"));
        for (TaskSnapshot t : r.tasks()) {
            text.append(String.format(Locale.ROOT, "%-8d %-8s %-18s %-7s %-8s %-8s %-16s %s%n",
                    t.id(), t.kind(), t.remote(), t.loop(), seconds(t.ageMs()), t.state(), t.lastStep(),
                    t.waitingOn() == null ? "-" : t.waitingOn() + " " + seconds(t.waitingMs())));
        }
        for (StuckGroup g : r.groups()) {
            text.append(sentence(g)).append('\n');
        }
        text.append("in flight ").append(r.inFlight()).append(", stuck ").append(r.stuck()).append('\n');
        return new CommandResult(failIfStuck && r.stuck() > 0 ? 1 : 0, text.toString(), doc, null);
    }

    private CommandResult loops(long olderThan) {
        List<LoopSnapshot> loops = registry.loops(olderThan);
        ObjectNode doc = JSON.createObjectNode();
        doc.put("version", 1);
        doc.set("loops", JSON.valueToTree(loops));
        StringBuilder text = new StringBuilder("LOOP     TASKS  IN-FLIGHT  STUCK\n");
        for (LoopSnapshot l : loops) {
            text.append(String.format(Locale.ROOT, "%-8s %5d %10d %6d%n", l.name(), l.tasks(), l.inFlight(), l.stuck()));
        }
        return CommandResult.ok(text.toString(), doc);
    }

    private CommandResult snapshot(long olderThan, String file) throws IOException {
        TaskReport r = registry.query(TaskQuery.all(olderThan, TaskQuery.MAX_LIMIT));
        ObjectNode doc = JSON.createObjectNode();
        doc.put("version", 1);
        doc.set("target", JSON.valueToTree(target));
        doc.put("older_than_ms", olderThan);
        doc.set("report", JSON.valueToTree(r));
        if (file != null) {
            Path p = workingDir.resolve(file);
            Files.createDirectories(p.toAbsolutePath().getParent());
            Files.writeString(p, JSON.writeValueAsString(doc));
        }
        return CommandResult.ok("snapshot of " + r.inFlight() + " in-flight tasks"
                + (file == null ? "" : " written to " + file) + "\n", doc);
    }

    private CommandResult diff(String a, String b, long olderThan) throws IOException {
        List<JsonNode> first = stuckTasks(a, olderThan);
        List<JsonNode> second = stuckTasks(b, olderThan);
        Set<Long> firstIds = new HashSet<>();
        first.forEach(t -> firstIds.add(t.get("id").asLong()));
        Set<Long> secondIds = new HashSet<>();
        second.forEach(t -> secondIds.add(t.get("id").asLong()));
        ObjectNode doc = JSON.createObjectNode();
        doc.put("version", 1);
        ArrayNode persistent = doc.putArray("persistent");
        ArrayNode fresh = doc.putArray("new");
        ArrayNode resolved = doc.putArray("resolved");
        Map<String, Integer> groups = new java.util.LinkedHashMap<>();
        for (JsonNode t : second) {
            if (firstIds.contains(t.get("id").asLong())) {
                persistent.add(t);
                groups.merge(t.path("kind").asText() + "s stuck after " + t.path("last_step").asText()
                        + ", waiting on " + t.path("waiting_on").asText(), 1, Integer::sum);
            } else {
                fresh.add(t);
            }
        }
        for (JsonNode t : first) {
            if (!secondIds.contains(t.get("id").asLong())) {
                resolved.add(t);
            }
        }
        ArrayNode groupNodes = doc.putObject("summary").putArray("groups");
        groups.forEach((k, n) -> groupNodes.addObject().put("count", n).put("text", n + " " + k + " in both snapshots"));
        StringBuilder text = new StringBuilder();
        text.append("persistent ").append(persistent.size()).append(", new ").append(fresh.size())
                .append(", resolved ").append(resolved.size()).append('\n');
        groups.forEach((k, n) -> text.append(n).append(' ').append(k).append(" in both snapshots\n"));
        return CommandResult.ok(text.toString(), doc);
    }

    private List<JsonNode> stuckTasks(String file, long olderThan) throws IOException {
        JsonNode doc = JSON.readTree(workingDir.resolve(file).toFile());
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode t : doc.path("report").path("tasks")) {
            if (t.path("idle_ms").asLong() >= olderThan && !t.path("state").asText().equals("idle")) {
                out.add(t);
            }
        }
        return out;
    }

    private CommandResult task(long id, long olderThan) {
        Optional<TaskSnapshot> t = registry.task(id, olderThan);
        if (t.isEmpty()) {
            return new CommandResult(1, "", null, "routerctl task: no task " + id);
        }
        ObjectNode doc = JSON.createObjectNode();
        doc.set("task", JSON.valueToTree(t.get()));
        return CommandResult.ok("task " + id + ": " + t.get().state() + " after " + t.get().lastStep() + "\n", doc);
    }

    private static ArrayNode groups(List<StuckGroup> groups) {
        ArrayNode out = JSON.createArrayNode();
        for (StuckGroup g : groups) {
            ObjectNode n = JSON.valueToTree(g);
            n.put("text", sentence(g));
            out.add(n);
        }
        return out;
    }

    /** dump-stuck's group sentence: {@code 12 requests stuck after route-resolved, waiting on auth (oldest 9.8s)}. */
    public static String sentence(StuckGroup g) {
        return g.count() + " " + g.kind() + (g.count() == 1 ? "" : "s") + " stuck after "
                + (g.lastStep() == null ? "start" : g.lastStep())
                + (g.waitingOn() == null ? "" : ", waiting on " + g.waitingOn())
                + " (oldest " + seconds(g.oldestMs()) + ")";
    }

    private static String seconds(Long ms) {
        return ms == null ? "-" : String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
    }

    /** Parses a command line as routerctl would; positionals are keyed "1", "2". */
    private static Map<String, String> options(List<String> args) throws Problem {
        String cmd = args.get(0);
        Map<String, List<String>> allowed = Map.of(
                "dump-stuck", List.of("--older-than", "--limit", "--fail-if-stuck"),
                "loops", List.of("--older-than"),
                "snapshot", List.of("-o", "--older-than"),
                "diff", List.of("--older-than"),
                "task", List.of("--older-than"),
                "list", List.of(),
                "help", List.of());
        int positionals = switch (cmd) {
            case "diff" -> 2;
            case "task" -> 1;
            case "help" -> 1;
            default -> 0;
        };
        Map<String, String> out = new HashMap<>();
        int seen = 0;
        for (int i = 1; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("-")) {
                if (!allowed.get(cmd).contains(a)) {
                    throw new Problem(i, "unknown option '" + a + "' for " + cmd
                            + (allowed.get(cmd).isEmpty() ? "" : "; expected one of " + String.join(", ", allowed.get(cmd))));
                }
                if (a.equals("--fail-if-stuck")) {
                    out.put(a, "");
                    continue;
                }
                if (i + 1 >= args.size()) {
                    throw new Problem(i, "option " + a + " needs a value");
                }
                String v = args.get(++i);
                if (a.equals("--older-than") && Durations.parse(v) == null) {
                    throw new Problem(i, "--older-than expects a duration such as 5s, got '" + v + "'");
                }
                if (a.equals("--limit") && !v.matches("\\d{1,5}")) {
                    throw new Problem(i, "--limit expects a number from 1 to 10000, got '" + v + "'");
                }
                out.put(a, v);
            } else {
                if (++seen > positionals) {
                    throw new Problem(i, cmd + " takes " + (positionals == 0 ? "no" : "only " + positionals)
                            + " argument" + (positionals == 1 ? "" : "s") + ", got '" + a + "'");
                }
                if (cmd.equals("task") && !a.matches("\\d{1,18}")) {
                    throw new Problem(i, "task expects a task id, got '" + a + "'");
                }
                out.put(Integer.toString(seen), a);
            }
        }
        if (seen < positionals && !cmd.equals("help")) {
            throw new Problem(args.size() - 1, cmd + " needs " + positionals + " argument" + (positionals == 1 ? "" : "s"));
        }
        return out;
    }

    private static final class Problem extends Exception {
        final ArgumentProblem problem;

        Problem(int index, String message) {
            super(message, null, false, false);
            this.problem = new ArgumentProblem(index, message);
        }
    }
}
