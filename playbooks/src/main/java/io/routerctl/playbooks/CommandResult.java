package io.routerctl.playbooks;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Objects;

/**
 * What one routerctl command produced when a playbook ran it.
 *
 * <h2>Thread safety</h2>
 * Immutable (a {@code JsonNode} inside is not copied: do not change it).
 *
 * @param exitCode the command's exit code under the CLI conventions: 0 ok, 1 its check found a
 *                 problem, 2 usage error, 3 cannot attach
 * @param text     what the command prints without {@code --json}; never {@code null}
 * @param json     what it prints with {@code --json}, parsed with
 *                 {@link JsonDocuments#mapper()}; {@code null} for commands
 *                 that print no data
 * @param error    the one-line error ({@code routerctl <command>: <what is wrong>}) when the exit
 *                 code is 2 or 3, else {@code null}
 */
public record CommandResult(int exitCode, String text, JsonNode json, String error) {

    public CommandResult {
        Objects.requireNonNull(text, "text");
    }

    /** A successful command. */
    public static CommandResult ok(String text, JsonNode json) {
        return new CommandResult(0, text, json, null);
    }
}
