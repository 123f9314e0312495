package io.routerctl.agent;

import java.lang.ref.WeakReference;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The agent's shims in gRPC servers ({@code io.routerctl.agent.grpc}), one per class loader of
 * gRPC's API, defined the first time an attach meets a gRPC server there: gRPC holds the shim's
 * objects in calls that stay open across a detach, so the shim must not belong to any one attach,
 * whose classes a detach lets go. Four small classes; they relay to whatever attach is current, or
 * to nothing. The shim lives as long as something of it is referenced (a server's interceptors
 * while attached, an open call's tracer or listener), and is collected after; it is remembered
 * here only weakly, so it never keeps gRPC's class loader (a reloaded application's) alive.
 *
 * <h2>Thread safety</h2>
 * Synchronized.
 */
final class GrpcShims {

    static final String LOADER_NAME = "routerctl-grpc-shim";
    private static final Map<ClassLoader, WeakReference<ClassLoader>> BY_LOADER = new WeakHashMap<>();

    private GrpcShims() {
    }

    /** The shim's factory and interceptor for gRPC's API in {@code api}, made on first use; null if it cannot be. */
    static synchronized Object forLoader(ClassLoader api) {
        try {
            WeakReference<ClassLoader> known = BY_LOADER.get(api);
            ClassLoader loader = known == null ? null : known.get();
            if (loader == null) {
                loader = new ClassDataLoader(LOADER_NAME, api, List.of("io.routerctl.agent.grpc."), List.of(), null,
                        List.of(), "");
                BY_LOADER.put(api, new WeakReference<>(loader));
            }
            return Class.forName("io.routerctl.agent.grpc.GrpcShim", true, loader).getMethod("make").invoke(null);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }
}
