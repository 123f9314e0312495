/**
 * Playbooks: incident procedures as files of routerctl commands plus a few statements
 * ({@code expect}, {@code wait-until}, {@code repeat}, {@code save}, {@code echo}, {@code sleep},
 * {@code require}, {@code default}), parsed whole before anything runs and run against a
 * {@link io.routerctl.playbooks.CommandExecutor} that the console implements.
 *
 * <h2>How the pieces fit</h2>
 * {@link io.routerctl.playbooks.PlayCommand} is {@code routerctl play} as a call: it finds the file
 * (or a {@link io.routerctl.playbooks.StockPlaybooks stock playbook}), parses it into a
 * {@link io.routerctl.playbooks.Playbook}, and either prints the plan or hands it to the
 * {@link io.routerctl.playbooks.PlaybookRunner}, which writes the incident bundle. Time comes from a
 * {@link io.routerctl.playbooks.PlaybookClock}, so tests run on a manual clock. This module never
 * depends on the console; the console depends on it. The language is documented in
 * {@code docs/playbooks.md}.
 */
package io.routerctl.playbooks;
