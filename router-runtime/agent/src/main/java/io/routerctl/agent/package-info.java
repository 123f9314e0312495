/**
 * The routerctl agent's entry classes, on the service's system class path once the JVM loads the
 * agent jar: {@link io.routerctl.agent.RouterctlAgent} (premain, agentmain), the installer, the
 * calls it inserts ({@link io.routerctl.agent.HookCalls}, with ASM relocated under
 * {@code io.routerctl.agent.shaded.asm}) and the class loaders that
 * bring everything else in from the jar's {@code .classdata} entries, per attach.
 *
 * <h2>Layout of the agent jar</h2>
 * <ul>
 *   <li>{@code io/routerctl/agent/*.class} and the relocated ASM: loaded by the system class
 *       loader, once per JVM;</li>
 *   <li>{@code routerctl-boot/...classdata}: the hooks ({@code io.routerctl.agent.hooks}), defined
 *       in the bootstrap class loader, once per JVM, inert after detach;</li>
 *   <li>{@code routerctl-core/...classdata}: probes, the agent's session
 *       ({@code io.routerctl.agent.core}), the Netty integration ({@code io.routerctl.netty}) and
 *       the agent's Netty side ({@code io.routerctl.agent.netty}), loaded per attach in class
 *       loaders of their own (see {@link io.routerctl.agent.Generation}) and collected after detach.</li>
 * </ul>
 *
 * <h2>Frameworks</h2>
 * Each framework the agent understands gets a package of its own beside {@code io.routerctl.agent.netty}
 * (its in-service side, compiled against the framework as {@code provided}) and the calls it needs
 * inserted here ({@link io.routerctl.agent.HookCalls});
 * it is loaded only when the service has loaded that framework's classes, in a class loader whose
 * parent loaded them, and it ends in the same registry calls as the Netty integration.
 */
package io.routerctl.agent;
