package io.routerctl.agent;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.routerctl.agent.hooks.Hooks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The calls the agent inserts, as a service loading Netty after a {@code -javaagent} start sees
 * them: Netty's classes defined through {@link HookCalls} in a class loader of their own (their
 * super types not loaded yet), then used; the hooks report exactly what was made, and classes the
 * agent has no business in are left byte for byte as they were.
 */
class HookCallsTest {

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final Hooks.Listener listener = new Hooks.Listener() {
        @Override
        public boolean serverChannel(Object channel) {
            events.add("server " + channel.getClass().getSimpleName());
            return true;
        }

        @Override
        public boolean clientChannel(Object channel) {
            events.add("client " + channel.getClass().getSimpleName());
            return true;
        }

        @Override
        public boolean futureCreated(Object future) {
            events.add("future " + future.getClass().getSimpleName());
            return true;
        }

        @Override
        public void failed(Throwable t) {
            events.add("failed " + t);
        }
    };

    @AfterEach
    void clearHooks() {
        Hooks.clear();
    }

    @Test
    void nettyLoadedAfterTheAgentReportsServerChannelsClientChannelsAndPromises() throws Exception {
        HookCalls calls = new HookCalls(false, false, false, true, null);
        Transforming loader = new Transforming(calls);
        Hooks.add(listener);

        Class<?> server = loader.loadClass(NioServerSocketChannel.class.getName());
        Object serverChannel = server.getConstructor().newInstance();
        Class<?> client = loader.loadClass(NioSocketChannel.class.getName());
        client.getConstructor().newInstance();
        Object group = loader.loadClass(NioEventLoopGroup.class.getName()).getConstructor(int.class).newInstance(1);
        try {
            Object executor = group.getClass().getMethod("next").invoke(group);
            executor.getClass().getMethod("newPromise").invoke(executor);
            Object bootstrap = loader.loadClass(Bootstrap.class.getName()).getConstructor().newInstance();
            bootstrap.getClass().getMethod("group", loader.loadClass("io.netty.channel.EventLoopGroup")).invoke(bootstrap, group);
            bootstrap.getClass().getMethod("channel", Class.class).invoke(bootstrap, client);
            bootstrap.getClass().getMethod("handler", loader.loadClass("io.netty.channel.ChannelHandler"))
                    .invoke(bootstrap, loader.loadClass("io.netty.channel.ChannelInboundHandlerAdapter").getConstructor().newInstance());
            Method register = bootstrap.getClass().getMethod("register");
            Object registered = register.invoke(bootstrap);
            registered.getClass().getMethod("sync").invoke(registered);
            Object channel = registered.getClass().getMethod("channel").invoke(registered);
            Object closed = channel.getClass().getMethod("close").invoke(channel);
            closed.getClass().getMethod("sync").invoke(closed);
        } finally {
            Object stopped = group.getClass().getMethod("shutdownGracefully", long.class, long.class,
                    java.util.concurrent.TimeUnit.class).invoke(group, 0L, 5L, java.util.concurrent.TimeUnit.SECONDS);
            stopped.getClass().getMethod("sync").invoke(stopped);
        }

        assertThat(events).as("what the hooks heard").contains("server NioServerSocketChannel", "client NioSocketChannel")
                .contains("future DefaultPromise").noneMatch(e -> e.startsWith("failed"))
                .filteredOn(e -> e.startsWith("server")).hasSize(1);
        assertThat(serverChannel.getClass().getClassLoader()).isSameAs(loader);
        assertThat(calls.changed()).contains("io/netty/channel/socket/nio/NioServerSocketChannel", "io/netty/bootstrap/Bootstrap")
                .doesNotContain("io/netty/channel/socket/nio/NioSocketChannel", "io/netty/channel/AbstractChannel");
        assertThat(calls.errors()).isZero();
    }

    @Test
    void classesItHasNoBusinessInAreLeftAlone() throws Exception {
        HookCalls calls = new HookCalls(true, true, true, true, null);
        for (Class<?> c : List.of(NioSocketChannel.class, String.class, Hooks.class, HookCallsTest.class,
                io.netty.channel.DefaultChannelPipeline.class, io.netty.channel.AbstractChannel.class)) {
            assertThat(calls.transform(null, c.getClassLoader(), c.getName().replace('.', '/'), null, null, bytes(c)))
                    .as(c.getName()).isNull();
        }
        assertThat(calls.changed()).isEmpty();
    }

    @Test
    void relocatedNettyIsFoundByItsNames() {
        HookCalls calls = new HookCalls(false, false, false, true, null);
        assertThat(calls.plan("io/grpc/netty/shaded/io/netty/channel/epoll/EpollServerSocketChannel"))
                .isEqualTo(HookCalls.Plan.SERVER_CHANNEL);
        assertThat(calls.plan("io/grpc/netty/shaded/io/netty/bootstrap/Bootstrap")).isEqualTo(HookCalls.Plan.BOOTSTRAP);
        assertThat(calls.plan("io/grpc/netty/shaded/io/netty/util/concurrent/AbstractEventExecutor"))
                .isEqualTo(HookCalls.Plan.EXECUTOR);
        assertThat(calls.plan("java/lang/ThreadBuilders")).as("virtual threads not asked for").isNull();
        assertThat(calls.plan("com/example/netty/channel/MyChannel")).isNull();
        assertThat(calls.plan("io/routerctl/netty/channel/SomeChannel")).isNull();
        assertThat(calls.plan("org/springframework/web/reactive/DispatcherHandler")).isEqualTo(HookCalls.Plan.SPRING_DISPATCHER);
        assertThat(calls.plan("io/vertx/ext/web/impl/RouteState")).isEqualTo(HookCalls.Plan.VERTX_ROUTE);
        assertThat(calls.plan("reactor/netty/http/server/DefaultHttpServerRoutes$HttpRouteHandler"))
                .isEqualTo(HookCalls.Plan.REACTOR_ROUTE);
        assertThat(calls.plan("reactor/core/publisher/FluxCreate")).isEqualTo(HookCalls.Plan.SINK_CALLBACK);
        assertThat(calls.plan("reactor/core/publisher/Sinks")).as("hooks without sinkMade").isNull();
        assertThat(new HookCalls(false, false, true, false, null).plan("reactor/core/publisher/Sinks"))
                .isEqualTo(HookCalls.Plan.SINKS);
        assertThat(new HookCalls(false, false, false, false, null).plan("io/vertx/ext/web/impl/RouteState"))
                .as("hooks without codeStep").isNull();
        assertThat(calls.candidate(NioServerSocketChannel.class)).isTrue();
        assertThat(calls.candidate(NioSocketChannel.class)).isFalse();
        assertThat(calls.candidate(java.util.concurrent.CompletableFuture.class)).isTrue();
    }

    private static byte[] bytes(Class<?> c) throws IOException {
        String resource = c.getName().replace('.', '/') + ".class";
        ClassLoader loader = c.getClassLoader() == null ? ClassLoader.getSystemClassLoader() : c.getClassLoader();
        try (InputStream in = c.getClassLoader() == null ? ClassLoader.getSystemResourceAsStream(resource)
                : loader.getResourceAsStream(resource)) {
            return in.readAllBytes();
        }
    }

    /**
     * Netty's classes, defined here from the test's class path through {@code calls} as the JVM
     * would on loading them (the hooks and everything else come from the parent).
     */
    private static final class Transforming extends ClassLoader {
        private final HookCalls calls;

        Transforming(HookCalls calls) {
            super(HookCallsTest.class.getClassLoader());
            this.calls = calls;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("io.netty.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    String internal = name.replace('.', '/');
                    byte[] original;
                    try (InputStream in = getParent().getResourceAsStream(internal + ".class")) {
                        if (in == null) {
                            throw new ClassNotFoundException(name);
                        }
                        original = in.readAllBytes();
                    } catch (IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                    byte[] changed = calls.transform(null, this, internal, null, null, original);
                    byte[] b = changed == null ? original : changed;
                    c = defineClass(name, b, 0, b.length);
                }
                return c;
            }
        }

        @Override
        public java.net.URL getResource(String name) {
            return getParent().getResource(name);
        }
    }
}
