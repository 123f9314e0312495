/**
 * Bringing routerctl into a JVM that has never heard of it: finding the agent jar, checking a pid
 * before attaching to it (same user, a JVM, attach not disabled), loading the agent through
 * {@code jdk.attach} and reading back what it found.
 */
package io.routerctl.console.agent;
