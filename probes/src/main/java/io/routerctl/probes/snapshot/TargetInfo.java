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
 */
public record TargetInfo(long pid, String name, long startedAtEpochMs, long uptimeMs, int loops, int protocol,
                         String javaVersion) {
}
