package io.routerctl.playbooks;

/**
 * One word of a playbook line after quote removal and {@code ${var}} substitution.
 *
 * @param text    the word, never {@code null} (may be empty: {@code ""})
 * @param columns for each character of {@code text}, the 1-based source column it came from
 *                (characters produced by a substitution map to the {@code $} of their reference)
 * @param column  the 1-based column where the word starts in the source line
 * @param end     the 1-based column just past the word's last source character
 * @param quoted  whether any part of the word was quoted (a quoted word is never a keyword)
 */
public record Token(String text, int[] columns, int column, int end, boolean quoted) {

    /** The source column of character {@code index}; {@link #end()} for {@code index == length}. */
    public int columnAt(int index) {
        return index < columns.length ? columns[index] : end;
    }

    @Override
    public String toString() {
        return text;
    }
}
