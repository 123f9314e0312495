/**
 * The query language of {@code expect} and {@code wait-until}: small typed paths over the JSON that
 * routerctl's read commands print with {@code --json} ({@code stuck.count},
 * {@code stuck.where(waiting_on=auth).count}, {@code groups.first.text}, {@code loops.max(stuck)}),
 * the comparisons, and the values they compare with. Queries are checked against a fixed schema
 * when the playbook is parsed, so an unknown field fails before anything runs. See
 * {@code docs/playbooks.md}.
 */
package io.routerctl.playbooks.query;
