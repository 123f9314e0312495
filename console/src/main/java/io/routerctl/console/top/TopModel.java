package io.routerctl.console.top;

import io.routerctl.probes.snapshot.LoopSnapshot;
import io.routerctl.probes.snapshot.TargetInfo;
import io.routerctl.probes.snapshot.TaskFamily;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskReport;
import io.routerctl.probes.snapshot.TaskSnapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Everything {@code top} shows, and nothing about how: the data the target streamed (target, report,
 * loops, dropped counts, connection status, derived rates) and what the user chose (sort, filter,
 * stuck-only, the window of rows asked for, selection and scroll, paused, the open view). Views only
 * read it; {@link TopController} changes it for keys and {@link TopSession} for what arrives from the
 * target.
 *
 * <h2>Paused</h2>
 * While paused the screen keeps showing the data it had ({@link #shown()}); updates keep arriving,
 * are kept as {@link #latest()} and counted ({@link #updatesWhilePaused()}), and resuming shows the
 * latest at once. The connection status stays live.
 *
 * <h2>Window of rows</h2>
 * The target sorts, filters and limits; the model asks for {@link #windowRows()} rows, a few screens
 * to start with, and more as the selection nears the end of what it has, up to a cap. So the first
 * rows arrive fast from a target with 200,000 tasks and the console holds at most the cap (twice,
 * while paused).
 *
 * <h2>Thread safety</h2>
 * Not thread-safe: confined to the UI thread. Getters documented as nullable return {@code null}
 * before the first update or when nothing applies; the rest never do.
 */
public final class TopModel {

    /** The view in the body of the screen. */
    public enum View { TABLE, DETAIL, LOOPS }

    /** The health of the stream from the target. */
    public enum Link { CONNECTING, CONNECTED, RECONNECTING }

    private final long olderThanMs;
    private final boolean adaptive;
    private final int initialWindowRows;
    private final int maxWindowRows;
    private final RateMeter rates = new RateMeter();

    private LiveData shown;
    private final History history = new History();
    private LiveData latest;
    private long updatesReceived;
    private long updatesDropped;
    private long updatesWhilePaused;
    private boolean paused;

    private Link link = Link.CONNECTING;
    /** When the last update arrived ({@link #heardAt}), 0 before the first. */
    private long lastHeardNanos;
    private long silentSeconds;
    /** The least silence shown as "not answering", whatever the interval. */
    static final long SILENT_AFTER_MS = 3_000;
    private int reconnectAttempt;
    private String linkProblem;
    private final String targetLabel;
    /** Set for a frozen view of a snapshot: shown instead of the link's health; else {@code null}. */
    private String frozenLabel;

    private Column sortColumn = Column.SINCE;
    private boolean inverted;
    private String filter;
    private boolean stuckOnly;
    private int windowRows;

    private boolean prompting;
    private final StringBuilder promptText = new StringBuilder();
    private String promptError;

    private int selected;
    private Long selectedId;
    /**
     * Whether the selection stays on the first row as rows re-sort: true until the user moves it
     * off the first row, and again when they come back to it. Otherwise the selection follows its
     * task, and a task that made progress (and sorted to the end) would carry the screen along.
     */
    private boolean onFirstRow = true;
    /**
     * Whether a connection that carries a request in the rows is left out (the default): its
     * request is the row that matters, and carries the connection's addresses. {@code c} toggles.
     */
    private boolean foldServing = true;
    /** The rows of {@link #shown} with serving connections left out, and how many were; made once per update. */
    private LiveData foldedFrom;
    private List<TaskSnapshot> foldedRows = List.of();
    private int folded;
    /** The user asked for the last row while more were still to come: jump there when they arrive. */
    private boolean followEnd;
    private int scrollTop;
    private int pageRows = 1;

    private View view = View.TABLE;
    private boolean helpVisible;
    private long detailId;
    private TaskSnapshot detailLastSeen;
    private TaskFamily detailFamily;
    private boolean detailGone;
    private int detailScroll;
    private int loopsScroll;

    private String notice;
    private boolean quitRequested;
    /** The query changed and no update has arrived since: the rows on screen answer the old one. */
    private boolean awaitingRows;

    /**
     * @param targetLabel       how the target was chosen, shown until its hello arrives ({@code pid 4242})
     * @param olderThanMs       the stuck threshold
     * @param filter            the initial filter regex, or {@code null}
     * @param initialWindowRows rows asked for at first (a few screens)
     * @param maxWindowRows     the most rows ever asked for
     */
    public TopModel(String targetLabel, long olderThanMs, String filter, int initialWindowRows, int maxWindowRows) {
        this(targetLabel, olderThanMs, filter, initialWindowRows, maxWindowRows, false);
    }

    /** As above, with the adaptive stuck rule on or off ({@code docs/detectors.md}). */
    public TopModel(String targetLabel, long olderThanMs, String filter, int initialWindowRows, int maxWindowRows,
                    boolean adaptive) {
        this.adaptive = adaptive;
        this.targetLabel = Objects.requireNonNull(targetLabel, "targetLabel");
        this.olderThanMs = olderThanMs;
        this.filter = filter == null || filter.isEmpty() ? null : filter;
        this.initialWindowRows = Math.max(1, Math.min(initialWindowRows, TaskQuery.MAX_LIMIT));
        this.maxWindowRows = Math.max(this.initialWindowRows, Math.min(maxWindowRows, TaskQuery.MAX_LIMIT));
        this.windowRows = this.initialWindowRows;
    }

    // ---------------------------------------------------------------- what the target sends

    /** Applies one update; {@code droppedBefore} counts updates lost on the way (target and console). */
    public void applyUpdate(TargetInfo target, TaskReport report, List<LoopSnapshot> loops, long droppedBefore) {
        latest = rates.observe(target, report, loops);
        history.add(report.takenAtEpochMs(), report.inFlight(), report.stuck());
        updatesReceived++;
        updatesDropped += Math.max(0, droppedBefore);
        link = Link.CONNECTED;
        reconnectAttempt = 0;
        linkProblem = null;
        awaitingRows = false;
        if (paused) {
            updatesWhilePaused++;
        } else {
            show(latest);
        }
    }

    /**
     * How long, at {@code nowNanos}, the target has sent nothing although updates are due every
     * {@code intervalMs}: once that is more than three intervals and at least {@value #SILENT_AFTER_MS}
     * ms, the target is shown as not answering (a stopped process keeps its socket open and says
     * nothing). Returns the silence in whole seconds shown, or 0 when it is not (yet) silent. Called
     * by the session's UI thread on every tick; changes what the header shows.
     */
    public long checkSilence(long nowNanos, long intervalMs) {
        long silentMs = link == Link.CONNECTED && lastHeardNanos != 0 ? (nowNanos - lastHeardNanos) / 1_000_000 : 0;
        long shown = silentMs > Math.max(SILENT_AFTER_MS, 3 * intervalMs) ? silentMs / 1000 : 0;
        silentSeconds = shown;
        return shown;
    }

    /** Seconds the target has been silent, as {@link #checkSilence} last found; 0 when answering. */
    public long silentSeconds() {
        return silentSeconds;
    }

    /** Marks when the latest update arrived (the session's clock), for {@link #checkSilence}. */
    public void heardAt(long nowNanos) {
        lastHeardNanos = nowNanos;
        silentSeconds = 0;
    }

    /** The stream ended or a reconnect attempt failed; {@code attempt} counts attempts so far (1 = the first). */
    public void linkLost(int attempt, String problem) {
        link = Link.RECONNECTING;
        reconnectAttempt = attempt;
        linkProblem = problem;
    }

    /** A (re)connection succeeded; updates follow. */
    public void linkUp() {
        link = Link.CONNECTED;
        reconnectAttempt = 0;
        linkProblem = null;
        rates.reset();
    }

    /** The detail of {@code id} arrived. Ignored if the user has moved on. */
    public void detailLoaded(long id, TaskFamily family) {
        if (view == View.DETAIL && detailId == id) {
            detailFamily = family;
            detailLastSeen = family.task();
            detailGone = false;
        }
    }

    /** The target no longer knows task {@code id}: it finished. */
    public void detailGone(long id) {
        if (view == View.DETAIL && detailId == id) {
            detailGone = true;
        }
    }

    private void show(LiveData data) {
        shown = data;
        List<TaskSnapshot> rows = rows();
        int index = -1;
        if (selectedId != null) {
            for (int i = 0; i < rows.size(); i++) {
                if (rows.get(i).id() == selectedId) {
                    index = i;
                    break;
                }
            }
        }
        if (onFirstRow && !followEnd) {
            index = rows.isEmpty() ? -1 : 0;
        }
        if (followEnd && !rows.isEmpty()) {
            index = rows.size() - 1;
            // Updates taken before the target saw the larger window still have the old size: keep following.
            followEnd = data.report().tasks().size() < Math.min(windowRows, data.report().matched());
        }
        selected = index >= 0 ? index : Math.max(0, Math.min(selected, rows.size() - 1));
        selectedId = rows.isEmpty() ? null : rows.get(selected).id();
        clampScroll();
        if (view == View.DETAIL && detailFamily == null) {
            for (TaskSnapshot row : rows) {
                if (row.id() == detailId) {
                    detailLastSeen = row;
                }
            }
        }
    }

    // ---------------------------------------------------------------- user actions (see TopController)

    void moveSelection(int delta) {
        followEnd = false;
        List<TaskSnapshot> rows = rows();
        if (rows.isEmpty()) {
            return;
        }
        long target = (long) selected + delta;
        selected = (int) Math.max(0, Math.min(rows.size() - 1L, target));
        selectedId = rows.get(selected).id();
        onFirstRow = selected == 0;
        clampScroll();
        growWindowIfNear(target);
    }

    void selectFirst() {
        moveSelection(Integer.MIN_VALUE / 2);
    }

    void selectLast() {
        int window = windowRows;
        moveSelection(Integer.MAX_VALUE / 2);
        followEnd = windowRows > window;
    }

    private void growWindowIfNear(long wantedIndex) {
        if (shown == null || shown.report().matched() <= shown.report().tasks().size()) {
            return;
        }
        if (wantedIndex >= windowRows - pageRows && windowRows < maxWindowRows) {
            long wanted = Math.max(2L * windowRows, wantedIndex + 2L * pageRows);
            windowRows = (int) Math.min(maxWindowRows, wanted);
        }
    }

    void cycleSort(int step) {
        sortColumn = sortColumn.nextSortable(step);
        inverted = false;
        queryChanged();
    }

    void invertSort() {
        inverted = !inverted;
        queryChanged();
    }

    /** Shows or leaves out the connections that carry a listed request; the selection stays on its task. */
    void toggleFoldServing() {
        foldServing = !foldServing;
        if (shown != null) {
            show(shown);
        }
    }

    void toggleStuckOnly() {
        stuckOnly = !stuckOnly;
        queryChanged();
    }

    void startPrompt() {
        prompting = true;
        promptError = null;
        promptText.setLength(0);
        if (filter != null) {
            promptText.append(filter);
        }
    }

    void promptType(char c) {
        promptText.append(c);
        promptError = null;
    }

    void promptBackspace() {
        if (promptText.length() > 0) {
            promptText.setLength(promptText.length() - 1);
        }
        promptError = null;
    }

    /** Applies the prompt's text as the filter; a bad regex keeps the prompt open with the reason. */
    void promptApply() {
        String text = promptText.toString();
        if (text.length() > TaskQuery.MAX_FILTER_CHARS) {
            promptError = "at most " + TaskQuery.MAX_FILTER_CHARS + " characters";
            return;
        }
        try {
            Pattern.compile(text);
        } catch (PatternSyntaxException e) {
            promptError = e.getDescription();
            return;
        }
        prompting = false;
        promptError = null;
        String newFilter = text.isEmpty() ? null : text;
        if (!Objects.equals(newFilter, filter)) {
            filter = newFilter;
            queryChanged();
        }
    }

    /** Leaves the prompt and drops the filter. */
    void promptCancel() {
        prompting = false;
        promptError = null;
        clearFilter();
    }

    void clearFilter() {
        if (filter != null) {
            filter = null;
            queryChanged();
        }
    }

    private void queryChanged() {
        awaitingRows = true;
        followEnd = false;
        windowRows = initialWindowRows;
        selected = 0;
        selectedId = null;
        onFirstRow = true;
        scrollTop = 0;
    }

    void togglePause() {
        paused = !paused;
        if (!paused) {
            updatesWhilePaused = 0;
            if (latest != null && latest != shown) {
                show(latest);
            }
        }
    }

    void openDetail() {
        TaskSnapshot task = selectedTask();
        if (task == null) {
            notice = "no task selected";
            return;
        }
        view = View.DETAIL;
        detailId = task.id();
        detailLastSeen = task;
        detailFamily = null;
        detailGone = false;
        detailScroll = 0;
    }

    void openLoops() {
        view = View.LOOPS;
        loopsScroll = 0;
    }

    void backToTable() {
        view = View.TABLE;
        detailFamily = null;
    }

    void scrollView(int delta) {
        if (view == View.DETAIL) {
            detailScroll = Math.max(0, detailScroll + delta);
        } else if (view == View.LOOPS) {
            loopsScroll = Math.max(0, Math.min(loopsScroll + delta, Math.max(0, loops().size() - 1)));
        }
    }

    void setHelpVisible(boolean visible) {
        helpVisible = visible;
    }

    void setNotice(String notice) {
        this.notice = notice;
    }

    /**
     * The target refused {@code refusedFilter} (it needed more than the target's budget): drop it,
     * if it is still the filter, and say why.
     */
    void filterRefused(String refusedFilter, String reason) {
        if (refusedFilter != null && refusedFilter.equals(filter)) {
            filter = null;
            queryChanged();
        }
        notice = "filter dropped: " + reason;
    }

    void clearNotice() {
        notice = null;
    }

    void requestQuit() {
        quitRequested = true;
    }

    /** Keeps the detail view's scroll within {@code maxScroll} (content lines minus visible lines). */
    public void limitDetailScroll(int maxScroll) {
        detailScroll = Math.max(0, Math.min(detailScroll, maxScroll));
    }

    /** Tells the model how many table rows the screen shows, for paging and scrolling. */
    public void setPageRows(int rows) {
        pageRows = Math.max(1, rows);
        clampScroll();
    }

    private void clampScroll() {
        if (selected < scrollTop) {
            scrollTop = selected;
        } else if (selected >= scrollTop + pageRows) {
            scrollTop = selected - pageRows + 1;
        }
        scrollTop = Math.max(0, Math.min(scrollTop, Math.max(0, rows().size() - pageRows)));
        if (selected < scrollTop) {
            scrollTop = selected;
        }
    }

    // ---------------------------------------------------------------- reading

    /** The query the subscription should run now: it changes with sort, filter, stuck-only and the window. */
    public TaskQuery query() {
        return new TaskQuery(stuckOnly, olderThanMs, filter, List.of(), sortColumn.sort, inverted, windowRows, adaptive);
    }

    /** The data on screen; {@code null} before the first update. */
    /** In flight and stuck over the last minutes, for the header's sparklines. */
    History history() {
        return history;
    }

    public LiveData shown() {
        return shown;
    }

    /** The newest data received; {@code null} before the first update. Differs from {@link #shown()} while paused. */
    public LiveData latest() {
        return latest;
    }

    /** The rows on screen (may be empty). */
    public List<TaskSnapshot> rows() {
        if (shown == null) {
            return List.of();
        }
        if (!foldServing) {
            return shown.report().tasks();
        }
        if (foldedFrom != shown) {
            List<TaskSnapshot> all = shown.report().tasks();
            java.util.Set<Long> serving = io.routerctl.console.render.TaskFacts.servingRequests(all);
            List<TaskSnapshot> kept = serving.isEmpty() ? all : new ArrayList<>(all.size());
            if (!serving.isEmpty()) {
                for (TaskSnapshot t : all) {
                    if (t.kind() != io.routerctl.probes.snapshot.TaskKind.CONNECTION || !serving.contains(t.id())) {
                        kept.add(t);
                    }
                }
            }
            foldedRows = kept;
            folded = all.size() - kept.size();
            foldedFrom = shown;
        }
        return foldedRows;
    }

    /** How many connections of the loaded rows {@link #rows()} leaves out because a request of theirs is listed. */
    public int foldedConnections() {
        rows();
        return foldServing ? folded : 0;
    }

    /** Whether serving connections are left out of the rows. */
    public boolean foldsServing() {
        return foldServing;
    }

    /** The loops on screen (may be empty). */
    public List<LoopSnapshot> loops() {
        return shown == null ? List.of() : shown.loops();
    }

    /** The selected task, or {@code null} if there are no rows. */
    public TaskSnapshot selectedTask() {
        List<TaskSnapshot> rows = rows();
        return rows.isEmpty() ? null : rows.get(selected);
    }

    public int selectedIndex() {
        return selected;
    }

    public int scrollTop() {
        return scrollTop;
    }

    public int pageRows() {
        return pageRows;
    }

    public int windowRows() {
        return windowRows;
    }

    public int maxWindowRows() {
        return maxWindowRows;
    }

    public long olderThanMs() {
        return olderThanMs;
    }

    /** Whether waits are also judged by their probe point's history. */
    public boolean adaptive() {
        return adaptive;
    }

    public Column sortColumn() {
        return sortColumn;
    }

    public boolean inverted() {
        return inverted;
    }

    /** The filter regex applied, or {@code null}. */
    public String filter() {
        return filter;
    }

    public boolean stuckOnly() {
        return stuckOnly;
    }

    public boolean prompting() {
        return prompting;
    }

    public String promptText() {
        return promptText.toString();
    }

    /** Why the prompt's regex was refused, or {@code null}. */
    public String promptError() {
        return promptError;
    }

    public boolean paused() {
        return paused;
    }

    public long updatesWhilePaused() {
        return updatesWhilePaused;
    }

    public long updatesReceived() {
        return updatesReceived;
    }

    public long updatesDropped() {
        return updatesDropped;
    }

    public Link link() {
        return link;
    }

    public int reconnectAttempt() {
        return reconnectAttempt;
    }

    /** Why the link went down, or {@code null}. */
    public String linkProblem() {
        return linkProblem;
    }

    public String targetLabel() {
        return targetLabel;
    }

    /** Marks this a frozen view of a snapshot, {@code label} shown instead of the link's health. */
    public void frozen(String label) {
        frozenLabel = label;
    }

    /** The snapshot label of a frozen view, or {@code null} when live. */
    public String frozenLabel() {
        return frozenLabel;
    }

    public View view() {
        return view;
    }

    public boolean helpVisible() {
        return helpVisible;
    }

    public long detailId() {
        return detailId;
    }

    /** The detail task as last seen (from the table or the target), or {@code null} outside the detail view. */
    public TaskSnapshot detailTask() {
        return view == View.DETAIL ? detailLastSeen : null;
    }

    /** The detail task's relatives, or {@code null} until the target answered. */
    public TaskFamily detailFamily() {
        return detailFamily;
    }

    /** Whether the detail task has finished and left the target. */
    public boolean detailGone() {
        return detailGone;
    }

    public int detailScroll() {
        return detailScroll;
    }

    public int loopsScroll() {
        return loopsScroll;
    }

    /** A one-line message for the user, or {@code null}. */
    public String notice() {
        return notice;
    }

    public boolean quitRequested() {
        return quitRequested;
    }

    /** Whether the sort, filter or stuck-only changed and the target has not answered the new query yet. */
    public boolean awaitingRows() {
        return awaitingRows;
    }
}
