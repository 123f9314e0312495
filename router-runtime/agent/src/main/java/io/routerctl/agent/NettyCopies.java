package io.routerctl.agent;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;

/**
 * The copies of Netty a service has loaded: its own ({@code io.netty}) and any a framework
 * relocated under a package of its own ({@code io.grpc.netty.shaded.io.netty} in
 * {@code grpc-netty-shaded}), each found by its loaded {@code DefaultChannelPipeline} class.
 *
 * <h2>Thread safety</h2>
 * Stateless.
 */
final class NettyCopies {

    static final String PIPELINE = "io.netty.channel.DefaultChannelPipeline";

    private NettyCopies() {
    }

    /**
     * One copy of Netty: the class loader that loaded its pipeline, and the prefix its
     * {@code io.netty} packages were relocated under ("" for none).
     */
    record Copy(ClassLoader loader, String prefix) {
        /** A copy's name in the status line: {@code Netty} or {@code Netty (io.grpc.netty.shaded)}. */
        String label() {
            return prefix.isEmpty() ? "Netty" : "Netty (" + prefix.substring(0, prefix.length() - 1) + ")";
        }

        /** Whether {@code pipelineClass} is this copy's pipeline class. */
        boolean isPipeline(Class<?> pipelineClass) {
            return pipelineClass.getName().equals(prefix + PIPELINE) && loaderOf(pipelineClass) == loader;
        }
    }

    /** The copies loaded now, the relocated ones of {@code grpc-netty-shaded} first, then by name. */
    static List<Copy> loaded(Instrumentation inst) {
        List<Copy> out = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            Copy copy = of(c);
            if (copy != null && !out.contains(copy)) {
                out.add(copy);
            }
        }
        out.sort((a, b) -> Integer.compare(rank(a), rank(b)) != 0 ? Integer.compare(rank(a), rank(b))
                : a.prefix().compareTo(b.prefix()));
        return out;
    }

    /** The copy {@code c} is the pipeline class of, or {@code null}. */
    static Copy of(Class<?> c) {
        String n = c.getName();
        if (!n.endsWith(PIPELINE)) {
            return null;
        }
        String prefix = n.substring(0, n.length() - PIPELINE.length());
        if (!prefix.isEmpty() && !prefix.endsWith(".")) {
            return null; // e.g. "fooio.netty...": not a relocation of io.netty
        }
        return new Copy(loaderOf(c), prefix);
    }

    /** The copy {@code channelClass} (a Netty channel) belongs to: the one its {@code Channel} interface is of. */
    static Copy ofChannel(Class<?> channelClass) {
        for (Class<?> c = channelClass; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                Copy copy = ofChannelInterface(i);
                if (copy != null) {
                    return copy;
                }
            }
        }
        return null;
    }

    private static Copy ofChannelInterface(Class<?> i) {
        String n = i.getName();
        String channel = "io.netty.channel.Channel";
        if (n.endsWith(channel)) {
            String prefix = n.substring(0, n.length() - channel.length());
            if (prefix.isEmpty() || prefix.endsWith(".")) {
                return new Copy(loaderOf(i), prefix);
            }
        }
        for (Class<?> parent : i.getInterfaces()) {
            Copy copy = ofChannelInterface(parent);
            if (copy != null) {
                return copy;
            }
        }
        return null;
    }

    private static int rank(Copy c) {
        return c.prefix().startsWith("io.grpc.netty.shaded.") ? 0 : c.prefix().isEmpty() ? 1 : 2;
    }

    static ClassLoader loaderOf(Class<?> c) {
        return c.getClassLoader() == null ? ClassLoader.getSystemClassLoader() : c.getClassLoader();
    }
}
