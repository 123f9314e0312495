package io.routerctl.console.attach;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reading what {@code /proc} says of a process, where a file that cannot be read is an answer
 * ("unknown"), not an error: another user's process, one that just exited.
 *
 * <h2>Thread safety</h2>
 * Stateless; safe from any thread.
 */
public final class ProcFiles {

    private ProcFiles() {
    }

    /** The file's bytes as ISO-8859-1 text ({@code \0}-separated files keep their separators), or {@code null}. */
    public static String read(Path p) {
        try {
            return new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The uid owning {@code p} ({@code /proc/<pid>}: the process's user), or -1 if it cannot be read. */
    public static int ownerUid(Path p) {
        try {
            return (Integer) Files.getAttribute(p, "unix:uid");
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
