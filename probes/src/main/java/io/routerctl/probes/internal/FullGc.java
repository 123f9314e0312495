package io.routerctl.probes.internal;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import javax.management.ObjectName;

/**
 * A full collection that runs even where {@code System.gc()} is switched off
 * ({@code -XX:+DisableExplicitGC}, common in production), and the collectors' own count of
 * collections to tell whether one ran.
 *
 * <p>{@link #run()} asks the JVM's diagnostic command MBean for {@code GC.run}, as
 * {@code jcmd <pid> GC.run} does; that request is not subject to {@code DisableExplicitGC}. Where
 * the MBean is missing (a runtime without {@code jdk.management}) it falls back to
 * {@code System.gc()}.
 *
 * <h2>What it costs</h2>
 * The first call loads the management classes (a few hundred, once); each call is one full
 * collection. Never on a hot path: the attach server's {@code gc} op only.
 *
 * <h2>Thread safety</h2>
 * Stateless; any thread.
 */
public final class FullGc {

    private static final String DIAGNOSTIC_COMMAND = "com.sun.management:type=DiagnosticCommand";

    private FullGc() {
    }

    /** Runs a full collection: {@code GC.run} through the diagnostic command MBean, else {@code System.gc()}. */
    public static void run() {
        try {
            ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName(DIAGNOSTIC_COMMAND), "gcRun",
                    new Object[] {null}, new String[] {String[].class.getName()});
        } catch (Exception | LinkageError e) {
            System.gc();
        }
    }

    /** Collections every collector has run since start, or -1 if none reports a count. */
    public static long collections() {
        long total = 0;
        boolean any = false;
        try {
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                long n = gc.getCollectionCount();
                if (n >= 0) {
                    total += n;
                    any = true;
                }
            }
        } catch (LinkageError | RuntimeException e) {
            return -1;
        }
        return any ? total : -1;
    }
}
