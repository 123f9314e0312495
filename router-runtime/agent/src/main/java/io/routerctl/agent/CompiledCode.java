package io.routerctl.agent;

/**
 * What the attach's class changes cost the JVM's compiled code, said in the attach's line.
 *
 * <p>HotSpot before JDK 23 (JDK-8324241) records which compiled methods depend on which methods only
 * once a class has been redefined: at the first redefinition in a JVM started without an agent, it
 * cannot tell which compiled code inlined the changed methods and throws all of it away. The
 * service then runs interpreted and C1 code again while C2 recompiles its hot paths, on the cores
 * its requests need (on the 2-core test VM at saturation, a Spring WebFlux app: 12,800 req/s over
 * the 40 s after the attach against 22,100 after, on JDK 25 20,600 against 22,000; see
 * docs/performance.md). Nothing the agent inserts avoids it: any redefinition does it, and only
 * the first in the JVM. JDK 23 and later record the dependencies from the start
 * ({@code -XX:+AlwaysRecordEvolDependencies}, on by default) and deoptimize only what depends on the
 * changed classes.
 *
 * <h2>Threads</h2>
 * Called under the agent's lock, at attach.
 */
final class CompiledCode {

    /** Where the attach's line gives a note for a line of its own (the console prints it so). */
    static final String NOTE = "; note: ";

    private CompiledCode() {
    }

    /**
     * {@code "; note: ..."} to add to the attach's line when the class changes just made were the
     * JVM's first and it throws its compiled code away for them, else {@code ""}. {@code firstInJvm}:
     * no routerctl agent changed a class in this JVM before (another agent may have; then the JVM
     * already records the dependencies and this overstates). Decided by the Java version alone:
     * the JVM's flag ({@code AlwaysRecordEvolDependencies}, where a Java 21 or 22 build has the
     * change) is experimental, and {@code HotSpotDiagnosticMXBean} does not show such flags.
     */
    static String recompileNote(boolean firstInJvm, long changed) {
        int feature = Runtime.version().feature();
        if (!firstInJvm || changed == 0 || feature >= 23 || !isHotSpot()) {
            return "";
        }
        return NOTE + "Java " + feature + (feature >= 21 ? " may discard" : " discards")
                + " all compiled code at a JVM's first class change: requests run slower for some seconds"
                + " while it recompiles (not on Java 23+, nor with -javaagent)";
    }

    static boolean isHotSpot() {
        String vm = System.getProperty("java.vm.name", "");
        return vm.contains("HotSpot") || vm.contains("OpenJDK");
    }
}
