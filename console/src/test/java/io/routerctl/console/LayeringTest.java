package io.routerctl.console;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The project's layering, read from every module's main sources: no two packages use each other,
 * directly or around a circle, and the module directions hold (the console never reaches the
 * runtime or Netty; probes reaches nothing of ours). A reference is an import or a qualified name
 * in code; comments and strings do not count.
 */
class LayeringTest {

    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern REFERENCE = Pattern.compile("\\b((?:io\\.routerctl|io\\.netty|org\\.objectweb|java|javax|jdk)(?:\\.[a-z0-9_]+)+)\\.[A-Z]\\w*");
    private static final Pattern WILDCARD = Pattern.compile("^import ((?:io\\.routerctl|io\\.netty|org\\.objectweb)[\\w.]*)\\.\\*;",
            Pattern.MULTILINE);

    /** Package to the packages it uses, and why (a class using a class). */
    static final Map<String, Map<String, Set<String>>> USES = new TreeMap<>();

    @BeforeAll
    static void readTheSources() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<Path> sources;
        try (Stream<Path> files = Files.walk(root)) {
            sources = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> p.toString().contains("/src/main/java/"))
                    .filter(p -> !p.toString().contains("/target/"))
                    .toList();
        }
        assertThat(sources).as("main sources of every module").hasSizeGreaterThan(150);
        for (Path file : sources) {
            String code = withoutCommentsAndStrings(Files.readString(file));
            Matcher pm = PACKAGE.matcher(code);
            if (!pm.find()) {
                continue;
            }
            String pkg = pm.group(1);
            String cls = file.getFileName().toString().replace(".java", "");
            Map<String, Set<String>> uses = USES.computeIfAbsent(pkg, k -> new TreeMap<>());
            Matcher m = REFERENCE.matcher(code);
            while (m.find()) {
                record(uses, pkg, m.group(1), cls + " uses " + m.group());
            }
            Matcher w = WILDCARD.matcher(code);
            while (w.find()) {
                record(uses, pkg, w.group(1), cls + " imports " + w.group(1) + ".*");
            }
        }
    }

    private static void record(Map<String, Set<String>> uses, String from, String to, String why) {
        if (!to.equals(from)) {
            uses.computeIfAbsent(to, k -> new TreeSet<>()).add(why);
        }
    }

    @Test
    void noPackageIsPartOfACircle() {
        List<String> circles = new ArrayList<>();
        for (List<String> component : stronglyConnected()) {
            StringBuilder why = new StringBuilder(String.join(" <-> ", component));
            for (String a : component) {
                for (String b : component) {
                    Set<String> reasons = USES.getOrDefault(a, Map.of()).get(b);
                    if (reasons != null) {
                        why.append("\n  ").append(a).append(" -> ").append(b).append(": ").append(reasons);
                    }
                }
            }
            circles.add(why.toString());
        }
        assertThat(circles).as("package circles").isEmpty();
    }

    /**
     * Who may use whom, by package prefix: each rule says what a layer may reach besides itself and
     * the JDK. The arrows point one way: probes ← netty ← agent's in-service side; netty ← runtime ←
     * samples; console ← playbooks ← probes; and the agent's entry classes, loaded by the service's
     * system class loader, reach only the hooks and ASM (everything else of routerctl is
     * loaded in class loaders of its own and reached by name).
     */
    static final List<Rule> RULES = List.of(
            new Rule("io.routerctl.probes", "probes: nothing of ours, no Netty", List.of("io.routerctl.probes")),
            new Rule("io.routerctl.netty", "the Netty integration: probes and the service's Netty",
                    List.of("io.routerctl.probes", "io.netty")),
            new Rule("io.routerctl.agent.hooks", "the hooks, in the bootstrap loader: java.base only", List.of()),
            new Rule("io.routerctl.agent.core", "the agent's session: probes and the hooks",
                    List.of("io.routerctl.probes", "io.routerctl.agent.hooks")),
            new Rule("io.routerctl.agent.netty", "the agent's Netty side: the integration, probes, hooks, Netty",
                    List.of("io.routerctl.netty", "io.routerctl.probes", "io.routerctl.agent.hooks", "io.netty")),
            new Rule("io.routerctl.agent.", "the agent's entry classes: the hooks and ASM only",
                    List.of("io.routerctl.agent.hooks", "org.objectweb.asm"), "io.routerctl.agent.hooks",
                    "io.routerctl.agent.core", "io.routerctl.agent.netty"),
            new Rule("io.routerctl.runtime", "the sample's runtime: the integration, probes, Netty",
                    List.of("io.routerctl.netty", "io.routerctl.probes", "io.netty")),
            new Rule("io.routerctl.playbooks", "playbooks: probes' wire client", List.of("io.routerctl.probes")),
            new Rule("io.routerctl.console", "the console: playbooks and probes, never a runtime, the agent or Netty",
                    List.of("io.routerctl.playbooks", "io.routerctl.probes")));

    /** A layer: packages under {@code prefix} (but those under {@code except}) may use only {@code allowed}. */
    record Rule(String prefix, String what, List<String> allowed, String... except) {
        boolean covers(String pkg) {
            if (!(pkg.equals(prefix) || pkg.startsWith(prefix.endsWith(".") ? prefix : prefix + "."))
                    && !(prefix.endsWith(".") && pkg.equals(prefix.substring(0, prefix.length() - 1)))) {
                return false;
            }
            for (String e : except) {
                if (pkg.equals(e) || pkg.startsWith(e + ".")) {
                    return false;
                }
            }
            return true;
        }

        boolean permits(String used) {
            if (used.startsWith("java.") || used.startsWith("javax.") || used.startsWith("jdk.") || covers(used)) {
                return true;
            }
            for (String a : allowed) {
                if (used.equals(a) || used.startsWith(a + ".")) {
                    return true;
                }
            }
            return false;
        }
    }

    @Test
    void everyLayerUsesOnlyWhatItsRuleAllows() {
        StringBuilder table = new StringBuilder("the layering rules (a package may also use its own layer and the JDK):\n");
        List<String> broken = new ArrayList<>();
        for (Rule rule : RULES) {
            table.append(String.format("  %-28s %s: %s%n", rule.prefix() + (rule.prefix().endsWith(".") ? "*" : ""),
                    rule.what(), rule.allowed().isEmpty() ? "-" : String.join(", ", rule.allowed())));
            USES.forEach((pkg, uses) -> {
                if (rule.covers(pkg)) {
                    uses.forEach((used, why) -> {
                        if (!rule.permits(used) && !(rule.prefix().equals("io.routerctl.agent.hooks") && used.startsWith("java."))) {
                            broken.add(pkg + " -> " + used + " (" + rule.what() + "): " + why);
                        }
                    });
                }
            });
        }
        System.out.println(table);
        assertThat(broken).as(table.toString()).isEmpty();
        for (String layer : List.of("io.routerctl.probes", "io.routerctl.netty", "io.routerctl.agent", "io.routerctl.runtime",
                "io.routerctl.console", "io.routerctl.playbooks")) {
            assertThat(USES.keySet()).as("the sources of " + layer + " were read").anyMatch(p -> p.startsWith(layer));
        }
    }

    @Test
    void theHooksReachNothingButJavaBase() {
        USES.forEach((pkg, uses) -> {
            if (pkg.startsWith("io.routerctl.agent.hooks")) {
                assertThat(uses.keySet()).as("the hooks are defined in the bootstrap loader")
                        .allMatch(u -> u.startsWith("java.lang") || u.startsWith("java.util"));
            }
        });
    }

    @Test
    void theModulesPointOneWay() {
        assertThat(usesOf("io.routerctl.probes")).as("probes uses nothing of ours but probes, and no Netty")
                .allMatch(p -> p.startsWith("io.routerctl.probes") || p.startsWith("java") || p.startsWith("jdk"));
        assertThat(usesOf("io.routerctl.console")).as("the console talks to targets only through the protocol")
                .noneMatch(p -> p.startsWith("io.routerctl.runtime") || p.startsWith("io.netty")
                        || p.startsWith("io.routerctl.netty") || p.startsWith("io.routerctl.samples")
                        || p.equals("io.routerctl.agent") || p.startsWith("io.routerctl.agent."));
        assertThat(usesOf("io.routerctl.playbooks")).as("playbooks know only probes' wire client")
                .allMatch(p -> p.startsWith("io.routerctl.playbooks") || p.startsWith("io.routerctl.probes")
                        || p.startsWith("java") || p.startsWith("jdk"));
    }

    /** Every package some package under {@code prefix} uses. */
    private static Set<String> usesOf(String prefix) {
        Set<String> out = new TreeSet<>();
        USES.forEach((pkg, uses) -> {
            if (pkg.startsWith(prefix)) {
                out.addAll(uses.keySet());
            }
        });
        return out;
    }

    /** Tarjan's strongly connected components of more than one package. */
    private static List<List<String>> stronglyConnected() {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<List<String>> out = new ArrayList<>();
        int[] next = {0};
        for (String v : USES.keySet()) {
            if (!index.containsKey(v)) {
                connect(v, index, low, stack, onStack, out, next);
            }
        }
        return out;
    }

    private static void connect(String v, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
                                Set<String> onStack, List<List<String>> out, int[] next) {
        index.put(v, next[0]);
        low.put(v, next[0]++);
        stack.push(v);
        onStack.add(v);
        for (String w : USES.getOrDefault(v, Map.of()).keySet()) {
            if (!index.containsKey(w)) {
                connect(w, index, low, stack, onStack, out, next);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> component = new ArrayList<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                component.sort(String::compareTo);
                out.add(component);
            }
        }
    }

    static String withoutCommentsAndStrings(String code) {
        return code.replaceAll("(?s)/\\*.*?\\*/", " ")
                .replaceAll("//[^\\n]*", " ")
                .replaceAll("\"(?:\\\\.|[^\"\\\\\\n])*\"", "\"\"");
    }
}
