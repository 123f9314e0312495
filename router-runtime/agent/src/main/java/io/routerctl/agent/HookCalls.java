package io.routerctl.agent;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The agent's one change to the service's classes: a call to a {@link io.routerctl.agent.hooks.Hooks}
 * method inserted before each normal return of the few methods where what the agent must see is
 * made, and nothing else. Which classes, by name (any relocation of Netty included):
 * <ul>
 *   <li>Netty's concrete server channel classes ({@code io.netty.channel.}…{@code Channel}
 *       implementing {@code ServerChannel}): their constructors call {@code serverChannel(this)};</li>
 *   <li>{@code io.netty.bootstrap.Bootstrap.init(Channel)}: {@code clientChannel(channel)};</li>
 *   <li>{@code newPromise()} of Netty's {@code AbstractEventExecutor} (4.1) or {@code EventExecutor}
 *       (4.2, a default method): {@code futureCreated(promise)};</li>
 *   <li>{@code new CompletableFuture()}, Vert.x's {@code PromiseImpl}, {@code Operation} (its
 *       combinators' futures) and {@code CompositeFutureImpl}, and Reactor's
 *       {@code SinkOneMulticast} constructors: {@code futureCreated(this)};</li>
 *   <li>Reactor's {@code MonoCreate} and {@code FluxCreate} constructors: {@code callback =
 *       sinkCallback(this, callback)} ({@code source} in {@code FluxCreate}; with hooks that have
 *       it, else {@code futureCreated(this)});</li>
 *   <li>Reactor's {@code Sinks.one()}: {@code return sinkMade(sink)} (with hooks that have it), and
 *       the {@code wrapMany} of its two specs, which every {@code Sinks.many()} sink passes
 *       through: {@code return sinkMade(sink)};</li>
 *   <li>JDK 21+: {@code ThreadBuilders.newVirtualThread(...)}: {@code threadCreated(thread)}.</li>
 * </ul>
 * and, on entry rather than return, where a framework runs the application's code for a request
 * ({@code codeStep(what)}): Spring WebFlux's {@code DispatcherHandler.handleRequestWith(exchange,
 * handler)} (a controller method, a router function) and {@code DefaultWebFilterChain.invokeFilter(filter,
 * ...)} (a {@code WebFilter}), Vert.x Web's {@code RouteState.handleContext} and Reactor Netty's
 * {@code HttpRouteHandler.apply} (a route).
 * A constructor that begins with {@code this(...)} gets no call (the one it ends in has it), so
 * each is made once per object. No branch, local variable or frame is added, so the class's stack
 * map frames stay valid as they are and only the maximum stack is recomputed. The hooks catch
 * whatever their listeners throw.
 *
 * <p>Why ASM rather than Byte Buddy's {@code AgentBuilder} and advices: Byte Buddy loaded 1,118 of
 * its classes into the service for these few insertions, 0.5 s of an idle attach and 1 s at
 * saturation; ASM loads 29 (class-loading logs of an idle attach; figures in docs/performance.md).
 *
 * <h2>Allocation and threads</h2>
 * {@link #transform} runs on the thread that loads or retransforms a class; for a class it does not
 * change it does a few string tests and allocates nothing. The names it changed are kept (one set
 * entry per class) so that a detach can give them their original code back.
 */
final class HookCalls implements ClassFileTransformer {

    static final String HOOKS = "io/routerctl/agent/hooks/Hooks";
    static final String CF = "java/util/concurrent/CompletableFuture";
    static final String MONO_CREATE = "reactor/core/publisher/MonoCreate";
    static final String FLUX_CREATE = "reactor/core/publisher/FluxCreate";
    static final String SINK_ONE = "reactor/core/publisher/SinkOneMulticast";
    static final String SINKS = "reactor/core/publisher/Sinks";
    private static final String SINKS_ONE = "Lreactor/core/publisher/Sinks$One;";
    /** The two specs whose {@code wrapMany} every {@code Sinks.many()} sink passes through. */
    static final Set<String> MANY_SPECS = Set.of("reactor/core/publisher/SinksSpecs$DefaultSinksSpecs",
            "reactor/core/publisher/SinksSpecs$UnicastSpecImpl");
    private static final String SINKS_MANY = "Lreactor/core/publisher/Sinks$Many;";
    static final String VERTX_PROMISE = "io/vertx/core/impl/future/PromiseImpl";
    /** The base of Vert.x's combinators' futures ({@code compose}, {@code map}, ...), and {@code Future.all}'s. */
    static final Set<String> VERTX_FUTURES = Set.of(VERTX_PROMISE, "io/vertx/core/impl/future/Operation",
            "io/vertx/core/impl/future/CompositeFutureImpl");
    static final String THREAD_BUILDERS = "java/lang/ThreadBuilders";
    static final String SPRING_DISPATCHER = "org/springframework/web/reactive/DispatcherHandler";
    static final String SPRING_FILTERS = "org/springframework/web/server/handler/DefaultWebFilterChain";
    static final String VERTX_ROUTE = "io/vertx/ext/web/impl/RouteState";
    static final String REACTOR_ROUTE = "reactor/netty/http/server/DefaultHttpServerRoutes$HttpRouteHandler";
    private static final String OBJECT_VOID = "(Ljava/lang/Object;)V";

    /** What is inserted into a class, decided by its name. */
    enum Plan {
        /** A concrete server channel (decided again by its type hierarchy): each constructor. */
        SERVER_CHANNEL,
        BOOTSTRAP,
        EXECUTOR,
        /** Each constructor ({@code CompletableFuture}: the one without arguments). */
        FUTURE,
        /** {@code MonoCreate}, {@code FluxCreate}: the callback each constructor keeps is the hooks' one. */
        SINK_CALLBACK,
        /** {@code Sinks.one()}: what it returns goes through {@code sinkMade}. */
        SINKS,
        /** {@code Sinks.many()}'s specs: what their {@code wrapMany} returns goes through {@code sinkMade}. */
        MANY_SPECS,
        THREAD_BUILDERS,
        /** Entries into the application's code: see the class comment. */
        SPRING_DISPATCHER,
        SPRING_FILTERS,
        VERTX_ROUTE,
        REACTOR_ROUTE
    }

    private final boolean threads;
    private final boolean sinks;
    private final boolean oneSinks;
    private final boolean steps;
    private final String debug;
    private final Set<String> changed = ConcurrentHashMap.newKeySet();
    /** Whether a class (by loader and name) is a server channel, for classes loaded after the attach. */
    private final Map<String, Boolean> serverChannels = new ConcurrentHashMap<>();
    private final AtomicLong instrumented = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicReference<String> lastError = new AtomicReference<>();

    /**
     * With {@code threads}, virtual threads are observed; with {@code sinks}, a {@code Mono.create}
     * keeps the hooks' callback; with {@code oneSinks}, {@code Sinks.one()} returns what the hooks
     * make of its sink; with {@code steps}, the frameworks' entries into the application's
     * code are (hooks defined in this JVM by an older agent may lack the calls these need).
     * {@code debug}: names containing it are reported on standard error as they are changed (or
     * fail), or {@code null}.
     */
    HookCalls(boolean threads, boolean sinks, boolean oneSinks, boolean steps, String debug) {
        this.threads = threads;
        this.sinks = sinks;
        this.oneSinks = oneSinks;
        this.steps = steps;
        this.debug = debug;
    }

    /** What would be inserted into the class of internal name {@code name}, or {@code null}. */
    Plan plan(String name) {
        if (name.startsWith("java/")) {
            return name.equals(CF) ? Plan.FUTURE : threads && name.equals(THREAD_BUILDERS) ? Plan.THREAD_BUILDERS : null;
        }
        if (name.startsWith("reactor/netty/")) {
            return steps && name.equals(REACTOR_ROUTE) ? Plan.REACTOR_ROUTE : null;
        }
        if (name.startsWith("reactor/core/publisher/")) {
            return name.equals(MONO_CREATE) || name.equals(FLUX_CREATE) ? Plan.SINK_CALLBACK
                    : name.equals(SINK_ONE) ? Plan.FUTURE : !oneSinks ? null : name.equals(SINKS) ? Plan.SINKS
                    : MANY_SPECS.contains(name) ? Plan.MANY_SPECS : null;
        }
        if (name.startsWith("io/vertx/")) {
            return VERTX_FUTURES.contains(name) ? Plan.FUTURE : steps && name.equals(VERTX_ROUTE) ? Plan.VERTX_ROUTE : null;
        }
        if (name.startsWith("org/springframework/web/")) {
            return !steps ? null : name.equals(SPRING_DISPATCHER) ? Plan.SPRING_DISPATCHER
                    : name.equals(SPRING_FILTERS) ? Plan.SPRING_FILTERS : null;
        }
        int netty = name.indexOf("io/netty/");
        if (netty < 0 || name.startsWith("io/routerctl/")) {
            return null;
        }
        if (name.startsWith("channel/", netty + 9)) {
            return name.endsWith("Channel") ? Plan.SERVER_CHANNEL : null;
        }
        if (name.endsWith("io/netty/bootstrap/Bootstrap")) {
            return Plan.BOOTSTRAP;
        }
        if (name.endsWith("io/netty/util/concurrent/AbstractEventExecutor")
                || name.endsWith("io/netty/util/concurrent/EventExecutor")) {
            return Plan.EXECUTOR;
        }
        return null;
    }

    /** Whether a loaded class is one this would change (for the retransform at attach). */
    boolean candidate(Class<?> c) {
        if (c.isArray() || c.isPrimitive()) {
            return false;
        }
        Plan p = plan(c.getName().replace('.', '/'));
        return p != null && (p != Plan.SERVER_CHANNEL || concrete(c.getModifiers()) && isServerChannel(c));
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined,
                            ProtectionDomain domain, byte[] bytes) {
        if (name == null) {
            return null;
        }
        Plan plan = plan(name);
        if (plan == null) {
            return null;
        }
        try {
            ClassReader reader = new ClassReader(bytes);
            if (plan == Plan.SERVER_CHANNEL && !(concrete(reader.getAccess())
                    && (redefined != null ? isServerChannel(redefined) : isServerChannel(loader, reader, 0)))) {
                return null;
            }
            ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
            Inserting inserting = new Inserting(writer, plan, plan == Plan.SERVER_CHANNEL || plan == Plan.FUTURE
                    || plan == Plan.SINK_CALLBACK ? Delegating.constructors(reader) : Set.of());
            reader.accept(inserting, 0);
            if (!inserting.inserted) {
                return null;
            }
            if (inserting.problem != null) {
                throw new IllegalStateException(inserting.problem);
            }
            changed.add(name);
            instrumented.incrementAndGet();
            if (debug != null && name.contains(debug)) {
                System.err.println("routerctl agent: instrumented " + name.replace('/', '.'));
            }
            return writer.toByteArray();
        } catch (Throwable t) {
            errors.incrementAndGet();
            lastError.set(name.replace('/', '.') + ": " + t);
            if (debug != null && name.contains(debug)) {
                System.err.println("routerctl agent: could not instrument " + name.replace('/', '.') + ": " + t);
            }
            return null;
        }
    }

    /** The binary names of the classes changed (or to be changed) since this transformer was added. */
    Set<String> changed() {
        return changed;
    }

    long instrumented() {
        return instrumented.get();
    }

    long errors() {
        return errors.get();
    }

    String lastError() {
        return lastError.get();
    }

    private static boolean concrete(int access) {
        return (access & (Opcodes.ACC_INTERFACE | Opcodes.ACC_ABSTRACT)) == 0;
    }

    static boolean isServerChannel(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                if (i.getName().endsWith("io.netty.channel.ServerChannel") || isServerChannel(i)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * For a class being loaded (its super types may not be loaded yet): its type hierarchy, read
     * from the class files its loader finds; remembered per loader and name.
     */
    private boolean isServerChannel(ClassLoader loader, ClassReader reader, int depth) {
        for (String i : reader.getInterfaces()) {
            if (i.endsWith("io/netty/channel/ServerChannel") || isServerChannel(loader, i, depth + 1)) {
                return true;
            }
        }
        String superName = reader.getSuperName();
        return superName != null && isServerChannel(loader, superName, depth + 1);
    }

    private boolean isServerChannel(ClassLoader loader, String name, int depth) {
        if (depth > 24 || name.startsWith("java/") || loader == null) {
            return false;
        }
        String key = System.identityHashCode(loader) + "/" + name;
        Boolean known = serverChannels.get(key);
        if (known != null) {
            return known;
        }
        boolean is = false;
        try (InputStream in = loader.getResourceAsStream(name + ".class")) {
            if (in != null) {
                is = isServerChannel(loader, new ClassReader(in), depth);
            }
        } catch (IOException | RuntimeException e) {
            // unreadable: not taken as a server channel
        }
        serverChannels.put(key, is);
        return is;
    }

    /**
     * The constructors of a class that begin by calling another of its own ({@code this(...)}),
     * by descriptor: the call goes into the one they end in, so that it is made once per object.
     * A constructor's call to its own class's {@code <init>} that no {@code new} of the class
     * precedes is taken as {@code this(...)}.
     */
    private static final class Delegating extends ClassVisitor {
        private final Set<String> found = new java.util.HashSet<>();
        private String className;

        private Delegating() {
            super(Opcodes.ASM9);
        }

        static Set<String> constructors(ClassReader reader) {
            Delegating d = new Delegating();
            reader.accept(d, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
            return d.found;
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
            className = name;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
            if (!name.equals("<init>")) {
                return null;
            }
            return new MethodVisitor(Opcodes.ASM9) {
                private int news;

                @Override
                public void visitTypeInsn(int opcode, String type) {
                    if (opcode == Opcodes.NEW && type.equals(className)) {
                        news++;
                    }
                }

                @Override
                public void visitMethodInsn(int opcode, String owner, String method, String desc, boolean isInterface) {
                    if (opcode == Opcodes.INVOKESPECIAL && method.equals("<init>") && owner.equals(className)) {
                        if (news > 0) {
                            news--;
                        } else {
                            found.add(descriptor);
                        }
                    }
                }
            };
        }
    }

    /** Inserts the plan's calls into the methods it names. */
    private final class Inserting extends ClassVisitor {
        private final Plan plan;
        private final Set<String> delegating;
        private String className;
        private String callbackDescriptor;
        boolean inserted;
        String problem;

        Inserting(ClassVisitor next, Plan plan, Set<String> delegating) {
            super(Opcodes.ASM9, next);
            this.plan = plan;
            this.delegating = delegating;
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
            className = name;
            super.visit(version, access, name, signature, superName, interfaces);
        }

        @Override
        public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
            if (name.equals(callbackField()) && (access & Opcodes.ACC_STATIC) == 0) {
                callbackDescriptor = descriptor;
            }
            return super.visitField(access, name, descriptor, signature, value);
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
            MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
            if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
                return mv;
            }
            boolean isStatic = (access & Opcodes.ACC_STATIC) != 0;
            boolean constructor = name.equals("<init>") && !delegating.contains(descriptor);
            switch (plan) {
                case SERVER_CHANNEL:
                    return constructor ? atReturn(mv, Call.THIS, "serverChannel") : mv;
                case BOOTSTRAP:
                    if (name.equals("init") && descriptor.endsWith(")V")) {
                        Type[] args = Type.getArgumentTypes(descriptor);
                        if (args.length == 1 && args[0].getSort() == Type.OBJECT
                                && args[0].getInternalName().endsWith("io/netty/channel/Channel")) {
                            return atReturn(mv, isStatic ? Call.FIRST_STATIC : Call.FIRST, "clientChannel");
                        }
                    }
                    return mv;
                case EXECUTOR:
                    return name.equals("newPromise") && descriptor.startsWith("()L") ? atReturn(mv, Call.RETURNED, "futureCreated") : mv;
                case FUTURE:
                    return constructor && (!className.equals(CF) || descriptor.equals("()V"))
                            ? atReturn(mv, Call.THIS, "futureCreated") : mv;
                case SINK_CALLBACK:
                    if (!constructor) {
                        return mv;
                    }
                    if (!sinks) {
                        return atReturn(mv, Call.THIS, "futureCreated");
                    }
                    if (callbackDescriptor == null || !callbackDescriptor.startsWith("L")) {
                        problem = "no callback field to keep";
                        inserted = true;
                        return mv;
                    }
                    return atReturn(mv, Call.CALLBACK, "sinkCallback");
                case SINKS:
                    if (name.equals("one") && isStatic && descriptor.equals("()" + SINKS_ONE)) {
                        inserted = true;
                        return new BeforeReturn(mv, Call.REPLACED, "sinkMade", className, null, SINKS_ONE);
                    }
                    return mv;
                case MANY_SPECS:
                    if (name.equals("wrapMany") && !isStatic && descriptor.endsWith(")" + SINKS_MANY)) {
                        inserted = true;
                        return new BeforeReturn(mv, Call.REPLACED, "sinkMade", className, null, SINKS_MANY);
                    }
                    return mv;
                case THREAD_BUILDERS:
                    return name.equals("newVirtualThread") && isStatic && descriptor.endsWith(")Ljava/lang/Thread;")
                            ? atReturn(mv, Call.RETURNED, "threadCreated") : mv;
                case SPRING_DISPATCHER:
                    return name.equals("handleRequestWith") && !isStatic && takes(descriptor, 2, 1, "Ljava/lang/Object;")
                            ? atEntry(mv, 2) : mv;
                case SPRING_FILTERS:
                    return name.equals("invokeFilter") && !isStatic && takes(descriptor, 3, 0, "Lorg/springframework/web/server/WebFilter;")
                            ? atEntry(mv, 1) : mv;
                case VERTX_ROUTE:
                    return name.equals("handleContext") && !isStatic && takes(descriptor, 1, 0, null) ? atEntry(mv, 0) : mv;
                case REACTOR_ROUTE:
                    return name.equals("apply") && !isStatic
                            && takes(descriptor, 2, 0, "Lreactor/netty/http/server/HttpServerRequest;") ? atEntry(mv, 0) : mv;
                default:
                    return mv;
            }
        }

        /** The field a {@code Mono.create}'s or {@code Flux.create}'s publisher keeps its callback in. */
        String callbackField() {
            return FLUX_CREATE.equals(className) ? "source" : "callback";
        }

        /** {@code codeStep(local)} first thing in the method. */
        private MethodVisitor atEntry(MethodVisitor mv, int local) {
            inserted = true;
            return new MethodVisitor(Opcodes.ASM9, mv) {
                @Override
                public void visitCode() {
                    super.visitCode();
                    super.visitVarInsn(Opcodes.ALOAD, local);
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "codeStep", OBJECT_VOID, false);
                }
            };
        }

        private MethodVisitor atReturn(MethodVisitor mv, Call call, String hook) {
            inserted = true;
            return new BeforeReturn(mv, call, hook, className, callbackField(), callbackDescriptor);
        }
    }

    /**
     * Whether a method descriptor has {@code count} arguments, the one at {@code index} a
     * reference ({@code descriptor} exactly, unless null).
     */
    private static boolean takes(String methodDescriptor, int count, int index, String descriptor) {
        Type[] args = Type.getArgumentTypes(methodDescriptor);
        return args.length == count && (args[index].getSort() == Type.OBJECT)
                && (descriptor == null || args[index].getDescriptor().equals(descriptor));
    }

    /** What the inserted call passes. */
    private enum Call {
        /** {@code hook(this)}, before {@code return}. */
        THIS,
        /** {@code hook(first argument)} of an instance method. */
        FIRST,
        FIRST_STATIC,
        /** {@code hook(value returned)}. */
        RETURNED,
        /** {@code this.callback = hook(this, this.callback)}. */
        CALLBACK,
        /** {@code return (Type) hook(value returned)}: the type is the call's callback descriptor. */
        REPLACED
    }

    /** Inserts one call before each return instruction of a method. */
    private static final class BeforeReturn extends MethodVisitor {
        private final Call call;
        private final String hook;
        private final String owner;
        private final String callbackField;
        private final String callbackDescriptor;

        BeforeReturn(MethodVisitor next, Call call, String hook, String owner, String callbackField,
                     String callbackDescriptor) {
            super(Opcodes.ASM9, next);
            this.call = call;
            this.hook = hook;
            this.owner = owner;
            this.callbackField = callbackField;
            this.callbackDescriptor = callbackDescriptor;
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
                switch (call) {
                    case THIS:
                        super.visitVarInsn(Opcodes.ALOAD, 0);
                        super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, hook, OBJECT_VOID, false);
                        break;
                    case FIRST:
                    case FIRST_STATIC:
                        super.visitVarInsn(Opcodes.ALOAD, call == Call.FIRST ? 1 : 0);
                        super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, hook, OBJECT_VOID, false);
                        break;
                    case RETURNED:
                        if (opcode == Opcodes.ARETURN) {
                            super.visitInsn(Opcodes.DUP);
                            super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, hook, OBJECT_VOID, false);
                        }
                        break;
                    case REPLACED:
                        if (opcode == Opcodes.ARETURN) {
                            super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, hook,
                                    "(Ljava/lang/Object;)Ljava/lang/Object;", false);
                            super.visitTypeInsn(Opcodes.CHECKCAST, Type.getType(callbackDescriptor).getInternalName());
                        }
                        break;
                    case CALLBACK:
                        super.visitVarInsn(Opcodes.ALOAD, 0);
                        super.visitVarInsn(Opcodes.ALOAD, 0);
                        super.visitVarInsn(Opcodes.ALOAD, 0);
                        super.visitFieldInsn(Opcodes.GETFIELD, owner, callbackField, callbackDescriptor);
                        super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, hook,
                                "(Ljava/lang/Object;Ljava/lang/Object;)Ljava/lang/Object;", false);
                        super.visitTypeInsn(Opcodes.CHECKCAST, Type.getType(callbackDescriptor).getInternalName());
                        super.visitFieldInsn(Opcodes.PUTFIELD, owner, callbackField, callbackDescriptor);
                        break;
                    default:
                        break;
                }
            }
            super.visitInsn(opcode);
        }
    }
}
