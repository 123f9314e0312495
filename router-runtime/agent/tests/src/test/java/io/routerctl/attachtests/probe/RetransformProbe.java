package io.routerctl.attachtests.probe;

import java.io.IOException;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A test agent that looks at the code a service's classes run now, from inside the service: it
 * retransforms the named classes with a transformer that only reads the bytes the JVM hands it
 * (the original class file, changed by every retransforming agent loaded before this one), and
 * writes one line per class to a file: {@code <class> hooked} if those bytes still call routerctl's
 * hooks, {@code <class> clean} if not, {@code <class> missing} if the class is not loaded.
 *
 * <p>Arguments: {@code <report file>;<class>;<class>...}.
 *
 * <h2>Thread safety</h2>
 * One load at a time (the JVM's attach listener runs them one by one).
 */
public final class RetransformProbe {

    private RetransformProbe() {
    }

    public static void agentmain(String args, Instrumentation inst) throws IOException {
        String[] parts = args.split(";");
        Path report = Path.of(parts[0]);
        Set<String> wanted = new HashSet<>(List.of(parts).subList(1, parts.length));
        Map<String, String> seen = new LinkedHashMap<>();
        for (String w : wanted) {
            seen.put(w, "missing");
        }
        byte[] hooks = "io/routerctl/agent/hooks/Hooks".getBytes(StandardCharsets.ISO_8859_1);
        ClassFileTransformer look = new ClassFileTransformer() {
            @Override
            public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined,
                                    ProtectionDomain domain, byte[] bytes) {
                String dotted = name == null ? null : name.replace('/', '.');
                if (dotted != null && wanted.contains(dotted)) {
                    seen.put(dotted, contains(bytes, hooks) ? "hooked" : "clean");
                }
                return null;
            }
        };
        List<Class<?>> targets = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (wanted.contains(c.getName()) && inst.isModifiableClass(c)) {
                targets.add(c);
            }
        }
        inst.addTransformer(look, true);
        try {
            inst.retransformClasses(targets.toArray(new Class<?>[0]));
        } catch (Exception e) {
            Files.writeString(report, "failed " + e + "\n");
            return;
        } finally {
            inst.removeTransformer(look);
        }
        StringBuilder out = new StringBuilder();
        seen.forEach((k, v) -> out.append(k).append(' ').append(v).append('\n'));
        Files.writeString(report, out.toString());
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
