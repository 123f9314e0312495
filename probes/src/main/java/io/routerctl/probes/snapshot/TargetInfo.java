package io.routerctl.probes.snapshot;

/**
 * Who a target is, as its hello says.
 *
 * @param pid             the target's process id
 * @param name            the service name it gave, e.g. {@code sample-router}
 * @param startedAtEpochMs when the process started
 * @param uptimeMs        milliseconds since start, at the time of the hello
 * @param loops           event loops (registry shards)
 * @param protocol        the wire protocol version it speaks
 * @param javaVersion     the target's {@code java.version}
 * @param detectors       the detectors the target runs: {@code lost-wakeup}, {@code slow},
 *                        {@code orphaned} (threads its requests handed work to, once they outlive
 *                        them), and {@code blocked-loop} when its loops are watched
 * @param internalErrors  errors routerctl's own threads in the target caught and survived (0 from
 *                        a target that does not say)
 * @param integration     how routerctl is in the target, e.g. {@code agent, Netty 4.2.18.Final} or
 *                        {@code library}; {@code null} when the target does not say
 */
public record TargetInfo(long pid, String name, long startedAtEpochMs, long uptimeMs, int loops, int protocol,
                         String javaVersion, java.util.List<String> detectors, long internalErrors,
                         String integration) {

    public TargetInfo {
        detectors = detectors == null ? java.util.List.of() : java.util.List.copyOf(detectors);
    }

    /** A target that reports no internal errors. */
    public TargetInfo(long pid, String name, long startedAtEpochMs, long uptimeMs, int loops, int protocol,
                      String javaVersion, java.util.List<String> detectors) {
        this(pid, name, startedAtEpochMs, uptimeMs, loops, protocol, javaVersion, detectors, 0, null);
    }

    /** A target that does not say how routerctl is in it. */
    public TargetInfo(long pid, String name, long startedAtEpochMs, long uptimeMs, int loops, int protocol,
                      String javaVersion, java.util.List<String> detectors, long internalErrors) {
        this(pid, name, startedAtEpochMs, uptimeMs, loops, protocol, javaVersion, detectors, internalErrors, null);
    }

    /** A target that names no detectors (protocol v1 before detectors were announced). */
    public TargetInfo(long pid, String name, long startedAtEpochMs, long uptimeMs, int loops, int protocol,
                      String javaVersion) {
        this(pid, name, startedAtEpochMs, uptimeMs, loops, protocol, javaVersion, java.util.List.of());
    }
}
