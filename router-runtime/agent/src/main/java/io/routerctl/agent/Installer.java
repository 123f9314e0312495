package io.routerctl.agent;

import io.routerctl.netty.hooks.Hooks;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.utility.JavaModule;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;
import static net.bytebuddy.matcher.ElementMatchers.takesNoArguments;

/**
 * What the agent does once the hooks are on the bootstrap class path: loads routerctl's classes in
 * a class loader whose parent loaded the service's Netty, instruments
 * {@code DefaultChannelPipeline.fireChannelActive}, the application's {@code channelRead} methods
 * and the constructors of {@code CompletableFuture} and Netty's {@code DefaultPromise} with advices
 * that only call {@link Hooks}, then tracks the channels already open. Detach resets the
 * instrumentation (the classes get their original code back) and removes every tracker.
 *
 * <h2>Thread safety</h2>
 * Called under {@link RouterctlAgent}'s lock only.
 */
final class Installer {

    static final String SUPPORT = "io.routerctl.netty.AgentSupport";
    static final String CF = "java.util.concurrent.CompletableFuture";
    static final long SCAN_TIMEOUT_MS = 2000;

    private static ResettableClassFileTransformer transformer;
    private static final Map<ClassLoader, URLClassLoader> CORES = new IdentityHashMap<>();
    private static final AtomicLong INSTRUMENTATION_ERRORS = new AtomicLong();
    private static final AtomicLong INSTRUMENTED = new AtomicLong();
    private static final AtomicReference<String> LAST_ERROR = new AtomicReference<>();

    private Installer() {
    }

    static String run(String args, Instrumentation inst, boolean atStartup) throws Exception {
        Options o = Options.parse(args);
        return o.stop() ? detach(inst) : attach(o, inst, atStartup);
    }

    private static String attach(Options o, Instrumentation inst, boolean atStartup) throws Exception {
        ClassLoader netty = nettyLoader(inst);
        if (netty == null && !atStartup) {
            return "no-netty: this JVM has loaded no Netty channel classes (io.netty.channel)";
        }
        if (transformer == null) {
            transformer = instrument(inst);
        }
        if (netty == null) {
            Hooks.starter(new LateStart(o, inst));
            return "waiting: tracking starts with the first Netty channel";
        }
        ClassLoader core = core(netty, inst);
        Method attach = core.loadClass(SUPPORT).getMethod("attach", String.class, boolean.class, long.class);
        String found = (String) attach.invoke(null, o.name(), o.sites(), SCAN_TIMEOUT_MS);
        long errors = INSTRUMENTATION_ERRORS.get();
        return "attached: " + found + ", " + INSTRUMENTED.get() + " classes instrumented" + (errors == 0 ? "" : "; " + errors + " classes could not be instrumented (last: "
                + LAST_ERROR.get() + ")");
    }

    /** For {@code -javaagent}: starts tracking from the first pipeline, below its class loader. */
    private static final class LateStart implements Function<Object, Hooks.Listener> {
        private final Options options;
        private final Instrumentation inst;

        LateStart(Options options, Instrumentation inst) {
            this.options = options;
            this.inst = inst;
        }

        @Override
        public Hooks.Listener apply(Object pipeline) {
            try {
                ClassLoader loader = pipeline.getClass().getClassLoader();
                ClassLoader core = core(loader == null ? ClassLoader.getSystemClassLoader() : loader, inst);
                Method start = core.loadClass(SUPPORT).getMethod("start", String.class, boolean.class);
                return (Hooks.Listener) start.invoke(null, options.name(), options.sites());
            } catch (Exception e) {
                throw new IllegalStateException("routerctl agent could not start: " + e, e);
            }
        }
    }

    private static String detach(Instrumentation inst) throws Exception {
        Hooks.starter(null);
        String result = "routerctl was not attached";
        for (URLClassLoader core : CORES.values()) {
            result = (String) core.loadClass(SUPPORT).getMethod("detach", long.class).invoke(null, SCAN_TIMEOUT_MS);
        }
        Hooks.listener(null);
        if (transformer != null) {
            transformer.reset(inst, AgentBuilder.RedefinitionStrategy.RETRANSFORMATION);
            transformer = null;
        }
        return "detached: " + result;
    }

    /** The class loader of the service's Netty: the one that loaded its channel pipeline class. */
    private static ClassLoader nettyLoader(Instrumentation inst) {
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (c.getName().equals("io.netty.channel.DefaultChannelPipeline")) {
                return c.getClassLoader() == null ? ClassLoader.getSystemClassLoader() : c.getClassLoader();
            }
        }
        return null;
    }

    /** routerctl's classes, loaded below {@code netty} (one loader per Netty loader, kept across attaches). */
    private static synchronized ClassLoader core(ClassLoader netty, Instrumentation inst) throws IOException {
        URLClassLoader core = CORES.get(netty);
        if (core == null) {
            Path probes = extract("probes.jar");
            Path runtime = extract("router-runtime.jar");
            core = new URLClassLoader("routerctl", new URL[]{probes.toUri().toURL(), runtime.toUri().toURL()}, netty);
            CORES.put(netty, core);
            // The channel scan reads a thread's runnable to find its event loop.
            Module javaBase = Object.class.getModule();
            inst.redefineModule(javaBase, Set.of(), Map.of(), Map.of("java.lang", Set.of(core.getUnnamedModule())),
                    Set.of(), Map.of());
        }
        return core;
    }

    private static Path extract(String name) throws IOException {
        Path target = RouterctlAgent.home().resolve(name);
        if (!Files.exists(target)) {
            try (InputStream in = RouterctlAgent.nested(name)) {
                Files.copy(in, target);
            }
            target.toFile().deleteOnExit(); // registered after its directory, so deleted before it
        }
        return target;
    }

    private static ResettableClassFileTransformer instrument(Instrumentation inst) {
        return new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(new Errors())
                .with(System.getProperty("routerctl.agent.debug") != null
                        ? new AgentBuilder.Listener.Filtering((net.bytebuddy.matcher.ElementMatcher<String>) n -> n.contains(System.getProperty("routerctl.agent.debug")), AgentBuilder.Listener.StreamWriting.toSystemError())
                        : AgentBuilder.Listener.NoOp.INSTANCE)
                .ignore(nameStartsWith("net.bytebuddy.")
                        .or(nameStartsWith("io.routerctl.agent."))
                        .or(nameStartsWith("io.routerctl.netty."))
                        .or(nameStartsWith("io.routerctl.probes."))
                        .or(nameStartsWith("jdk."))
                        .or(nameStartsWith("sun."))
                        .or(nameStartsWith("com.sun."))
                        .or(nameStartsWith("java.").and(not(named(CF))))
                        .or(isSynthetic()))
                .type(named("io.netty.channel.DefaultChannelPipeline"))
                .transform((builder, type, loader, module, domain) -> builder.visit(
                        Advice.to(Advices.ChannelActive.class).on(named("fireChannelActive").and(takesNoArguments()))))
                .type(named(CF))
                .transform((builder, type, loader, module, domain) -> builder.visit(
                        Advice.to(Advices.FutureCreated.class).on(isConstructor().and(takesNoArguments()))))
                .type(named("io.netty.util.concurrent.DefaultPromise"))
                .transform((builder, type, loader, module, domain) -> builder.visit(
                        Advice.to(Advices.FutureCreated.class).on(isConstructor())))
                .type(not(nameStartsWith("io.netty.")).and(not(isInterface()))
                        .and(hasSuperType(named("io.netty.channel.ChannelInboundHandler"))))
                .transform((builder, type, loader, module, domain) -> builder.visit(
                        Advice.to(Advices.ChannelRead.class).on(named("channelRead").or(named("channelRead0"))
                                .and(takesArguments(2))
                                .and(takesArgument(0, named("io.netty.channel.ChannelHandlerContext")))
                                .and(not(isAbstract())))))
                .installOn(inst);
    }

    /** Counts classes that could not be instrumented; the service goes on with their original code. */
    private static final class Errors extends AgentBuilder.Listener.Adapter {
        @Override
        public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded,
                            Throwable throwable) {
            INSTRUMENTATION_ERRORS.incrementAndGet();
            LAST_ERROR.set(typeName + ": " + throwable);
        }

        @Override
        public void onTransformation(net.bytebuddy.description.type.TypeDescription type, ClassLoader classLoader,
                                     JavaModule module, boolean loaded, net.bytebuddy.dynamic.DynamicType dynamicType) {
            INSTRUMENTED.incrementAndGet();
        }
    }

    /** The agent's arguments. */
    record Options(String name, boolean sites, boolean stop) {
        static Options parse(String args) {
            String name = defaultName();
            boolean sites = false;
            boolean stop = false;
            if (args != null && !args.isBlank()) {
                for (String part : args.split(",")) {
                    String p = part.strip();
                    if (p.equals("stop")) {
                        stop = true;
                    } else if (p.startsWith("name=") && p.length() > 5) {
                        name = p.substring(5);
                    } else if (p.equals("sites=on") || p.equals("sites")) {
                        sites = true;
                    } else if (p.equals("sites=off")) {
                        sites = false;
                    } else if (!p.isEmpty()) {
                        throw new IllegalArgumentException("unknown agent argument: " + p
                                + " (expected name=NAME, sites=on|off, stop)");
                    }
                }
            }
            return new Options(name, sites, stop);
        }

        /** The main class's simple name, or the jar's file name, as jps shows it. */
        static String defaultName() {
            String command = System.getProperty("sun.java.command", "java").strip();
            String first = command.isEmpty() ? "java" : command.split("\\s+")[0];
            if (first.endsWith(".jar")) {
                first = Path.of(first).getFileName().toString();
            } else {
                first = first.substring(first.lastIndexOf('.') + 1);
            }
            return first.isEmpty() ? "java" : first;
        }
    }
}
