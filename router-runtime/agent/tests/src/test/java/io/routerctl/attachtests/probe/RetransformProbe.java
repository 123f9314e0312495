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
 * writes one line per class to a file: {@code <class> hooked} if a method in those bytes still calls
 * routerctl's hooks, {@code <class> clean} if not, {@code <class> missing} if the class is not
 * loaded. A call, not a mention: from JDK 24 or so the JVM hands a retransformer the class as it
 * runs, whose constant pool keeps what earlier versions named (HotSpot merges constant pools on
 * every redefinition), so a class restored to its original code may still name the hooks.
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
        String hooks = "io/routerctl/agent/hooks/Hooks";
        ClassFileTransformer look = new ClassFileTransformer() {
            @Override
            public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined,
                                    ProtectionDomain domain, byte[] bytes) {
                String dotted = name == null ? null : name.replace('/', '.');
                if (dotted != null && wanted.contains(dotted)) {
                    try {
                        seen.put(dotted, calls(bytes, hooks) ? "hooked" : "clean");
                    } catch (RuntimeException e) {
                        seen.put(dotted, "unreadable " + e);
                    }
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

    /**
     * Whether a method of class file {@code c} has an {@code invokestatic} of a method of class
     * {@code owner}. The code is scanned for the instruction's bytes rather than decoded (a test's
     * probe: an operand that happens to read as such a call is possible, and unlikely).
     */
    static boolean calls(byte[] c, String owner) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(c);
        b.position(8);
        int count = b.getShort() & 0xFFFF;
        String[] utf8 = new String[count];
        int[] classNames = new int[count];
        int[] refClasses = new int[count];
        for (int i = 1; i < count; i++) {
            int tag = b.get() & 0xFF;
            switch (tag) {
                case 1 -> {
                    byte[] text = new byte[b.getShort() & 0xFFFF];
                    b.get(text);
                    utf8[i] = new String(text, StandardCharsets.UTF_8);
                }
                case 7 -> classNames[i] = b.getShort() & 0xFFFF;
                case 10, 11 -> {
                    refClasses[i] = b.getShort() & 0xFFFF;
                    b.getShort();
                }
                case 3, 4, 9, 12, 17, 18 -> b.position(b.position() + 4);
                case 5, 6 -> {
                    b.position(b.position() + 8);
                    i++;
                }
                case 8, 16, 19, 20 -> b.position(b.position() + 2);
                case 15 -> b.position(b.position() + 3);
                default -> throw new IllegalArgumentException("constant pool tag " + tag);
            }
        }
        Set<Integer> targets = new HashSet<>();
        for (int i = 1; i < count; i++) {
            int cls = refClasses[i];
            if (cls != 0 && owner.equals(utf8[classNames[cls]])) {
                targets.add(i);
            }
        }
        if (targets.isEmpty()) {
            return false;
        }
        b.position(b.position() + 6);
        int interfaces = b.getShort() & 0xFFFF;
        b.position(b.position() + 2 * interfaces);
        skipMembers(b, utf8, null); // fields
        boolean[] found = new boolean[1];
        skipMembers(b, utf8, code -> {
            for (int i = 0; i + 2 < code.length; i++) {
                if ((code[i] & 0xFF) == 0xB8 && targets.contains(((code[i + 1] & 0xFF) << 8) | (code[i + 2] & 0xFF))) {
                    found[0] = true;
                }
            }
        });
        return found[0];
    }

    /** Reads past a field or method table, handing each Code attribute's code to {@code code} (if not null). */
    private static void skipMembers(java.nio.ByteBuffer b, String[] utf8, java.util.function.Consumer<byte[]> code) {
        int members = b.getShort() & 0xFFFF;
        for (int m = 0; m < members; m++) {
            b.position(b.position() + 6);
            int attributes = b.getShort() & 0xFFFF;
            for (int a = 0; a < attributes; a++) {
                String name = utf8[b.getShort() & 0xFFFF];
                int length = b.getInt();
                int end = b.position() + length;
                if (code != null && "Code".equals(name)) {
                    b.position(b.position() + 4);
                    byte[] bytes = new byte[b.getInt()];
                    b.get(bytes);
                    code.accept(bytes);
                }
                b.position(end);
            }
        }
    }
}
