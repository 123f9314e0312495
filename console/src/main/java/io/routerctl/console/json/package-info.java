/**
 * The documents routerctl commands print with {@code --json}, each with a versioned schema name
 * ({@code routerctl.dump-stuck/1}, {@code routerctl.list/1}) as its first field. They are plain
 * records written with the project's one JSON configuration ({@code io.routerctl.playbooks.JsonDocuments}: snake-case names, enums by wire name),
 * so a playbook, a snapshot file or a script reads them back the same way. The schemas are
 * documented in {@code docs/}; a change that removes or renames a field needs a new version.
 */
package io.routerctl.console.json;
