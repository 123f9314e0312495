package io.routerctl.agent;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Defines the hooks ({@code io.routerctl.agent.hooks}) in the bootstrap class loader, once per JVM,
 * from their bytes in the agent jar ({@code routerctl-boot/}), and lets {@code java.base} read
 * them (the call inserted into {@code CompletableFuture} reaches them). Defining them, rather than appending a
 * jar to the bootstrap class path, writes no file and leaves the bootstrap class path, and so the
 * JVM's class-data sharing, as it was.
 *
 * <h2>Thread safety</h2>
 * Called under the agent's lock.
 */
final class BootHooks {

    static final String PACKAGE = "io.routerctl.agent.hooks.";
    /** In the order they can be defined: what a class names in its declaration comes first. */
    static final List<String> CLASSES = List.of("Hooks$Listener", "Hooks$HandedOff", "Hooks$HandOffStarter", "Hooks",
            "Hooks$Relay", "Hooks$SinkCallback", "Hooks$Delegating", "Hooks$SinkDelegate", "Hooks$ProxyConstructors",
            "Hooks$Forwards", "ServiceSession", "TrackedNetty");

    private BootHooks() {
    }

    /** Defines the hooks if this JVM has none yet; returns the hooks class. */
    static Class<?> ensureDefined(Instrumentation inst) throws Exception {
        Class<?> hooks = definedHooks();
        if (hooks == null) {
            Module javaBase = Object.class.getModule();
            Module self = BootHooks.class.getModule();
            if (!javaBase.isExported("jdk.internal.misc", self)) {
                inst.redefineModule(javaBase, Set.of(), Map.of("jdk.internal.misc", Set.of(self)), Map.of(), Set.of(), Map.of());
            }
            Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
            Object unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
            Method define = unsafeClass.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
                    ClassLoader.class, java.security.ProtectionDomain.class);
            for (String simple : CLASSES) {
                String name = PACKAGE + simple;
                byte[] bytes = ClassDataLoader.read(ClassDataLoader.BOOT, name);
                if (bytes == null) {
                    throw new IOException("the agent jar has no " + ClassDataLoader.BOOT + name + " (a broken build?)");
                }
                define.invoke(unsafe, name, bytes, 0, bytes.length, null, null);
            }
            hooks = definedHooks();
            if (hooks == null) {
                throw new IllegalStateException("the hooks did not reach the bootstrap class loader");
            }
        }
        Module javaBase = Object.class.getModule();
        if (!javaBase.canRead(hooks.getModule())) {
            inst.redefineModule(javaBase, Set.of(hooks.getModule()), Map.of(), Map.of(), Set.of(), Map.of());
        }
        return hooks;
    }

    /** The hooks class of the bootstrap class loader, or {@code null} if not defined yet. */
    static Class<?> definedHooks() {
        try {
            return Class.forName(PACKAGE + "Hooks", false, null);
        } catch (ClassNotFoundException e) {
            return null;
        }
    }
}
