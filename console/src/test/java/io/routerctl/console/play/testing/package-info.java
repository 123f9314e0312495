/**
 * Test support for playbooks run the way the console runs them: a manual clock that is also the
 * registry's ticker, a sample target driving a real in-process registry like the sample router
 * does, served by a real attach server, and routerctl's real command executor attached to it.
 */
package io.routerctl.console.play.testing;
