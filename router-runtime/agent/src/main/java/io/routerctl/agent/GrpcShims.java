package io.routerctl.agent;

import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The agent's shims in gRPC servers ({@code io.routerctl.agent.grpc}), one per class loader of
 * gRPC's API, defined the first time an attach meets a gRPC server there and kept for the life of
 * that class loader (in practice, of the JVM): gRPC holds the shim's objects in calls that stay
 * open across a detach, so the shim must not belong to any one attach, whose classes a detach
 * lets go. Four small classes; they relay to whatever attach is current, or to nothing.
 *
 * <h2>Thread safety</h2>
 * Synchronized.
 */
final class GrpcShims {

    static final String LOADER_NAME = "routerctl-grpc-shim";
    private static final Map<ClassLoader, Object> BY_LOADER = new WeakHashMap<>();

    private GrpcShims() {
    }

    /** The shim's factory and interceptor for gRPC's API in {@code api}, made on first use; null if it cannot be. */
    static synchronized Object forLoader(ClassLoader api) {
        Object shim = BY_LOADER.get(api);
        if (shim == null) {
            try {
                ClassDataLoader loader = new ClassDataLoader(LOADER_NAME, api, List.of("io.routerctl.agent.grpc."),
                        List.of(), null, List.of(), "");
                shim = Class.forName("io.routerctl.agent.grpc.GrpcShim", true, loader).getMethod("make").invoke(null);
                BY_LOADER.put(api, shim);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return null;
            }
        }
        return shim;
    }
}
