/**
 * Choosing and reaching a target: the {@code --pid}/{@code --socket} options every attaching
 * command shares, finding the live targets in the attach directory, asking each for its hello,
 * and the rule that picks the one target when none is named.
 */
package io.routerctl.console.attach;
