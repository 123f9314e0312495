package io.routerctl.console.top;

import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskSnapshot;

/**
 * The task table's columns, in screen order, with what each needs of the width and how hard it
 * holds on to its place when the terminal is narrow.
 *
 * <p>{@link #priority} decides which columns go first on a narrow terminal (lowest first);
 * {@link #minWidth} is the narrowest the column shrinks to before it is dropped instead (a remote
 * address is never cut: {@code 255.255.255.255:65535} is 21 cells); {@link #maxWidth} is how far it
 * grows on a wide one.
 *
 * <h2>Thread safety</h2>
 * Immutable. {@link #cell} never returns {@code null}.
 */
enum Column {
    ID("ID", TaskQuery.Sort.ID, 6, 7, 9, true, 100),
    /** Never cut: "connection" and "request" are its words; dropped whole instead. */
    KIND("KIND", TaskQuery.Sort.KIND, 10, 10, 10, false, 30),
    /** The task's label: a request's method and path, where the target names them; 20 cells at least. */
    WHAT("WHAT", null, 20, 20, 28, false, 15),
    REMOTE("REMOTE", TaskQuery.Sort.REMOTE, 21, 21, 41, false, 90),
    /** The first to go: the loop is in a task's detail, and its name is often long. */
    LOOP("LOOP", TaskQuery.Sort.LOOP, 6, 6, 22, false, 10),
    /** Second to go: a stuck row is marked {@code !}, and the detail says the state. */
    STATE("STATE", TaskQuery.Sort.STATE, 7, 7, 9, false, 12),
    /** Goes before WARN on a narrow terminal: SINCE says how long a task made no progress. */
    AGE("AGE", TaskQuery.Sort.AGE, 6, 6, 7, true, 45),
    LAST_STEP("LAST STEP", TaskQuery.Sort.STEP, 14, 22, 30, false, 85),
    SINCE("SINCE", TaskQuery.Sort.IDLE, 6, 6, 7, true, 95),
    WAITING_ON("WAITING ON", TaskQuery.Sort.WAITING, 10, 11, 20, false, 80),
    /** Never cut: "lost-wakeup" is 11 cells; dropped whole instead. */
    WARN("WARN", null, 11, 11, 30, false, 50);

    final String title;
    /** The server-side sort this column stands for, or {@code null} if it cannot be sorted on. */
    final TaskQuery.Sort sort;
    final int minWidth;
    final int preferredWidth;
    final int maxWidth;
    final boolean alignRight;
    final int priority;

    Column(String title, TaskQuery.Sort sort, int minWidth, int preferredWidth, int maxWidth, boolean alignRight,
           int priority) {
        this.title = title;
        this.sort = sort;
        this.minWidth = minWidth;
        this.preferredWidth = preferredWidth;
        this.maxWidth = maxWidth;
        this.alignRight = alignRight;
        this.priority = priority;
    }

    /** Whether rows sorted on this column in the natural order go from large to small (longest wait first). */
    boolean naturallyDescending() {
        return sort == TaskQuery.Sort.IDLE || sort == TaskQuery.Sort.AGE;
    }

    /** The sortable column after (or before, {@code step < 0}) this one, wrapping around. */
    Column nextSortable(int step) {
        Column[] all = values();
        int i = ordinal();
        do {
            i = Math.floorMod(i + step, all.length);
        } while (all[i].sort == null);
        return all[i];
    }

    /** The column that shows {@code sort}. */
    static Column of(TaskQuery.Sort sort) {
        for (Column c : values()) {
            if (c.sort == sort) {
                return c;
            }
        }
        throw new IllegalArgumentException("no column sorts by " + sort);
    }

    /** What this column shows for {@code task}. */
    String cell(TaskSnapshot task) {
        return switch (this) {
            case ID -> Long.toString(task.id());
            case KIND -> task.kind().wireName();
            case WHAT -> orDash(task.label());
            case REMOTE -> orDash(task.remote());
            case LOOP -> orDash(task.loop());
            case STATE -> task.state().wireName();
            case AGE -> (task.ageAtLeast() ? "\u2265" : "") + TimeText.duration(task.ageMs());
            case LAST_STEP -> orDash(task.lastStep());
            case SINCE -> TimeText.duration(task.idleMs());
            case WAITING_ON -> orDash(task.waitingOn());
            case WARN -> warnCell(task);
        };
    }

    /**
     * The WARN cell in {@code width} cells: the whole of {@link #warnCell} if it fits, else the
     * warnings without the trailing {@code stuck} (the row's {@code !} says it) if they fit, else
     * the first (most telling) warning whole, the others being in the detail and the warnings line;
     * cut only when even that does not fit.
     */
    static String warnCell(TaskSnapshot task, int width) {
        String all = warnCell(task);
        if (all.length() <= width || task.warnings().isEmpty()) {
            return all;
        }
        String warnings = String.join(",", task.warnings());
        if (warnings.length() <= width) {
            return warnings;
        }
        String first = task.warnings().get(0);
        return first.length() <= width ? first : all;
    }

    /** The warnings of a task as the WARN column shows them, most telling first, then {@code stuck}. */
    static String warnCell(TaskSnapshot task) {
        String warnings = String.join(",", task.warnings());
        if (!task.stuck()) {
            return warnings;
        }
        return warnings.isEmpty() ? "stuck" : warnings + ",stuck";
    }

    private static String orDash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }
}
