/**
 * Test support: a manual clock that is also the registry's ticker, a sample target driving a real
 * in-process registry like the sample router does, and a command executor answering routerctl's
 * read commands from that registry.
 */
package io.routerctl.playbooks.testing;
