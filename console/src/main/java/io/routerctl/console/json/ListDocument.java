package io.routerctl.console.json;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.routerctl.console.attach.TargetStatus;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code routerctl list --json} prints: schema {@value #SCHEMA}, documented in
 * {@code docs/cli.md}.
 *
 * @param schema    always {@value #SCHEMA}
 * @param attachDir the directory a service of this user listens in
 * @param searched  every directory searched, {@code attach_dir} first
 * @param targets   the live targets, by pid
 *
 * <h2>Thread safety</h2>
 * Immutable records; safe from any thread.
 */
@JsonPropertyOrder({"schema", "attach_dir", "searched", "targets"})
public record ListDocument(String schema, String attachDir, List<String> searched, List<Target> targets) {

    /** The schema name and version of this document. */
    public static final String SCHEMA = "routerctl.list/1";

    /**
     * One target. Fields from the hello are {@code null} when it did not answer.
     *
     * @param answering whether it answered its hello within the timeout
     * @param state     {@code answering}, {@code busy}, {@code not trusted} or {@code not answering}
     * @param problem   why not, or {@code null}
     */
    @JsonPropertyOrder({"pid", "socket", "answering", "state", "name", "uptime_ms", "started_at_epoch_ms", "loops",
            "protocol", "java_version", "problem"})
    public record Target(long pid, String socket, boolean answering, String state, String name, Long uptimeMs,
                         Long startedAtEpochMs, Integer loops, Integer protocol, String javaVersion, String problem) {
        public static Target of(TargetStatus s) {
            if (!s.answering()) {
                return new Target(s.pid(), s.socket().toString(), false, s.state().toString(), null, null, null, null, null, null,
                        s.problem());
            }
            return new Target(s.pid(), s.socket().toString(), true, s.state().toString(), s.info().name(), s.info().uptimeMs(),
                    s.info().startedAtEpochMs(), s.info().loops(), s.info().protocol(), s.info().javaVersion(), null);
        }
    }

    public static ListDocument of(List<Path> searched, List<TargetStatus> targets) {
        return new ListDocument(SCHEMA, searched.get(0).toString(), searched.stream().map(Path::toString).toList(),
                targets.stream().map(Target::of).toList());
    }
}
