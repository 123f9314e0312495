/**
 * The bridge between the service's instrumented code and routerctl: {@link io.routerctl.agent.hooks.Hooks},
 * which the inserted calls reach, and the two interfaces through which the agent's entry classes talk to
 * the classes it loads in class loaders of their own ({@link io.routerctl.agent.hooks.ServiceSession},
 * {@link io.routerctl.agent.hooks.TrackedNetty}).
 *
 * <p>These classes are never on a class path: the agent jar carries them as {@code .classdata}
 * under {@code routerctl-boot/}, and the agent defines them in the bootstrap class loader, once per
 * JVM, so that every class loader (and {@code java.base}, whose {@code CompletableFuture} is
 * instrumented) sees the same ones. They may refer to nothing but {@code java.base}, and they stay
 * after detach, inert.
 */
package io.routerctl.agent.hooks;
