/**
 * The playbook implementation: the line tokenizer with shell-like quoting and {@code ${var}}
 * substitution, the statement parser, and the writers of the incident bundle and its report.
 * Not an API: only {@code io.routerctl.playbooks} and {@code io.routerctl.playbooks.query} are.
 */
package io.routerctl.playbooks.internal;
