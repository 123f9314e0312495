/**
 * {@code routerctl top}: the live, full-screen console of a target's in-flight work, in lanterna.
 *
 * <p>Built the way tokio-console is: the state apart from the views.
 * <ul>
 *   <li>State: {@link io.routerctl.console.top.TopModel} holds what the wire delivered (target, report,
 *       loops, dropped counts, connection status, derived rates) and what the user chose (sort, filter,
 *       stuck-only, selection, the open view, paused). {@link io.routerctl.console.top.TopController}
 *       turns keys into state transitions; neither needs a terminal.</li>
 *   <li>Views, one per file, draw a model on a lanterna {@code TextGraphics}: {@code HeaderView},
 *       {@code WarningsView}, {@code TaskTableView}, {@code TaskDetailView}, {@code LoopsView},
 *       {@code HelpOverlay}, {@code FooterView}; {@code TopScreenLayout} places them.</li>
 *   <li>The runner: {@link io.routerctl.console.top.TopSession} connects through a
 *       {@link io.routerctl.console.top.TopConnector}, subscribes, feeds updates from the reader thread
 *       into the model through a queue the UI thread drains, reconnects with backoff when the target
 *       goes away, and always restores the terminal. {@link io.routerctl.console.top.SnapshotTopConnector}
 *       is the connector over a saved snapshot ({@code top --from FILE}): a frozen view, never reconnecting.</li>
 * </ul>
 *
 * <p>The server filters, sorts and limits; the console asks for a window of rows that grows as the
 * user scrolls (capped), so its memory stays bounded however many tasks the target holds.
 */
package io.routerctl.console.top;
