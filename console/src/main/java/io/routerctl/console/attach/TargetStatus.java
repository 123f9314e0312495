package io.routerctl.console.attach;

import io.routerctl.probes.attach.AttachException;
import io.routerctl.probes.snapshot.TargetInfo;

import java.nio.file.Path;

/**
 * One attachable process as {@code routerctl list} sees it: its pid and socket, and either its
 * hello or why it did not answer.
 *
 * @param pid     the process id (from the socket's name)
 * @param socket  its attach socket
 * @param state   whether it answered, and if not, why
 * @param info    its hello, or {@code null} if it did not answer
 * @param problem why it did not answer (e.g. timed out), or {@code null} if it did
 *
 * <h2>Thread safety</h2>
 * Immutable.
 */
public record TargetStatus(long pid, Path socket, State state, TargetInfo info, String problem) {

    /** How a target answered, as {@code list} shows it. */
    public enum State {
        /** It sent its hello. */
        ANSWERING("answering"),
        /** It serves as many clients as it will right now: alive, try again. */
        BUSY("busy"),
        /** Its directory, socket, user or pid is not what it should be: not believed. */
        NOT_TRUSTED("not trusted"),
        /** Nothing useful came back in time. */
        NOT_ANSWERING("not answering");

        private final String label;

        State(String label) {
            this.label = label;
        }

        /** Why an attach failed, as a state. */
        public static State of(AttachException.Reason reason) {
            return switch (reason) {
                case BUSY -> BUSY;
                case UNTRUSTED -> NOT_TRUSTED;
                default -> NOT_ANSWERING;
            };
        }

        /** The label in {@code list} and its JSON: {@code answering}, {@code busy}, {@code not trusted}, {@code not answering}. */
        @Override
        public String toString() {
            return label;
        }
    }

    public TargetStatus {
        if ((state == State.ANSWERING) != (info != null)) {
            throw new IllegalArgumentException("a hello exactly when answering");
        }
    }

    /** A target that answered with {@code info}. */
    public static TargetStatus answered(long pid, Path socket, TargetInfo info) {
        return new TargetStatus(pid, socket, State.ANSWERING, info, null);
    }

    /** A target that did not: {@code state} says how, {@code problem} in words. */
    public static TargetStatus failed(long pid, Path socket, State state, String problem) {
        return new TargetStatus(pid, socket, state, null, problem);
    }

    /** Whether the target answered with a hello. */
    public boolean answering() {
        return info != null;
    }
}
