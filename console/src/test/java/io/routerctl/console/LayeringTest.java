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
    private static final Pattern REFERENCE = Pattern.compile("\\b((?:io\\.routerctl|io\\.netty)(?:\\.[a-z0-9_]+)+)\\.[A-Z]\\w*");
    private static final Pattern WILDCARD = Pattern.compile("^import ((?:io\\.routerctl|io\\.netty)[\\w.]*)\\.\\*;",
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

    @Test
    void theModulesPointOneWay() {
        assertThat(usesOf("io.routerctl.probes")).as("probes uses nothing of ours but probes, and no Netty")
                .allMatch(p -> p.startsWith("io.routerctl.probes"));
        assertThat(usesOf("io.routerctl.console")).as("the console talks to targets only through the protocol")
                .noneMatch(p -> p.startsWith("io.routerctl.runtime") || p.startsWith("io.netty")
                        || p.startsWith("io.routerctl.samples"));
        assertThat(usesOf("io.routerctl.playbooks")).as("playbooks know only probes' wire client")
                .allMatch(p -> p.startsWith("io.routerctl.playbooks") || p.startsWith("io.routerctl.probes"));
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
