package io.routerctl.agent;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.commons.ClassRemapper;
import org.objectweb.asm.commons.Remapper;

import java.io.IOException;
import java.io.InputStream;
import java.security.ProtectionDomain;
import java.util.List;

/**
 * A class loader for one part of routerctl inside a service, defining its classes from the
 * {@code .classdata} entries of the agent jar ({@code routerctl-core/io/routerctl/...classdata}),
 * which no class loader of the service can see: nothing is unpacked, nothing is written to disk.
 *
 * <p>It defines the classes of the packages it {@linkplain #owns owns}; asks {@code shared} for
 * those of the shared packages (probes and the agent's session, one copy per attach for every
 * part); and asks its parent for everything else (the JDK and, for a Netty part, the service's
 * Netty). For a Netty that a framework relocated (e.g. {@code io.grpc.netty.shaded.io.netty}), the
 * references to {@code io.netty} in its classes, names in strings included, are remapped to the
 * relocated package as the classes are defined, so the same integration meets that copy.
 *
 * <h2>Thread safety</h2>
 * Parallel capable: classes are loaded under the per-name lock.
 */
final class ClassDataLoader extends ClassLoader {

    static {
        registerAsParallelCapable();
    }

    static final String CORE = "routerctl-core/";
    static final String BOOT = "routerctl-boot/";
    static final String CLASSDATA = ".classdata";

    private final List<String> owned;
    private final List<String> excluded;
    private final ClassLoader shared;
    private final List<String> sharedPackages;
    private final String relocatedNetty;
    private final ProtectionDomain domain;

    /**
     * @param name           shown in stack traces and {@code jcmd VM.classloaders}
     * @param parent         where classes neither owned nor shared come from; {@code null}: the bootstrap
     * @param owned          package prefixes this loader defines ({@code "io.routerctl.netty."})
     * @param excluded       package prefixes under {@code owned} it leaves to others (a part of their own)
     * @param shared         the loader of {@code sharedPackages}, or {@code null}
     * @param sharedPackages package prefixes asked of {@code shared}
     * @param relocatedNetty the prefix Netty was relocated under ({@code "io.grpc.netty.shaded."}), or "" for none
     */
    ClassDataLoader(String name, ClassLoader parent, List<String> owned, List<String> excluded, ClassLoader shared,
                    List<String> sharedPackages, String relocatedNetty) {
        super(name, parent);
        this.owned = List.copyOf(owned);
        this.excluded = List.copyOf(excluded);
        this.shared = shared;
        this.sharedPackages = List.copyOf(sharedPackages);
        this.relocatedNetty = relocatedNetty;
        this.domain = ClassDataLoader.class.getProtectionDomain();
    }

    /** Whether this loader defines {@code className}. */
    boolean owns(String className) {
        for (String e : excluded) {
            if (className.startsWith(e)) {
                return false;
            }
        }
        for (String p : owned) {
            if (className.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    private boolean isShared(String className) {
        for (String p : sharedPackages) {
            if (className.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                if (owns(name)) {
                    c = findClass(name);
                } else if (shared != null && isShared(name)) {
                    c = shared.loadClass(name);
                } else {
                    c = super.loadClass(name, false);
                }
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        if (!owns(name)) {
            throw new ClassNotFoundException(name);
        }
        byte[] bytes;
        try {
            bytes = read(CORE, name);
        } catch (IOException e) {
            throw new ClassNotFoundException(name + " (" + e.getMessage() + ")", e);
        }
        if (bytes == null) {
            throw new ClassNotFoundException(name);
        }
        if (!relocatedNetty.isEmpty()) {
            bytes = relocate(bytes, relocatedNetty);
        }
        return defineClass(name, bytes, 0, bytes.length, domain);
    }

    /** The bytes of {@code className} under {@code root} in the agent jar, or {@code null}. */
    static byte[] read(String root, String className) throws IOException {
        String entry = root + className.replace('.', '/') + CLASSDATA;
        try (InputStream in = ClassDataLoader.class.getClassLoader() == null
                ? ClassLoader.getSystemResourceAsStream(entry)
                : ClassDataLoader.class.getClassLoader().getResourceAsStream(entry)) {
            return in == null ? null : in.readAllBytes();
        }
    }

    /** {@code bytes} with every reference to {@code io.netty} moved under {@code prefix}. */
    static byte[] relocate(byte[] bytes, String prefix) {
        String internalPrefix = prefix.replace('.', '/');
        Remapper remapper = new Remapper() {
            @Override
            public String map(String internalName) {
                return internalName.startsWith("io/netty/") ? internalPrefix + internalName : internalName;
            }

            @Override
            public Object mapValue(Object value) {
                if (value instanceof String s && s.startsWith("io.netty.")) {
                    return prefix + s;
                }
                return super.mapValue(value);
            }
        };
        ClassReader reader = new ClassReader(bytes);
        ClassWriter writer = new ClassWriter(0);
        reader.accept(new ClassRemapper(writer, remapper), 0);
        return writer.toByteArray();
    }
}
