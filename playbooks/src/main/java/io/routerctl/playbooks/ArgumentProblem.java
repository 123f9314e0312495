package io.routerctl.playbooks;

/**
 * What is wrong with a command line, found before anything runs.
 *
 * <h2>Thread safety</h2>
 * Immutable.
 *
 * @param argIndex the index of the offending word in the command line (0 is the command's name);
 *                 the parser turns it into the word's column
 * @param message  what is wrong, e.g. {@code unknown option '--older'; expected one of --older-than, --limit}
 */
public record ArgumentProblem(int argIndex, String message) {
}
