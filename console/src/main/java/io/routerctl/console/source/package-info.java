/**
 * Where a read command's data comes from: a live target over its attach socket, or a snapshot file
 * saved earlier ({@code --from FILE}); and the evaluation of stuck queries, loops and task
 * families over a saved set of tasks, with the same rules and sentences as a live target.
 */
package io.routerctl.console.source;
