package io.routerctl.attachtests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A container as a tenant controls it: a root directory of its own ({@code chroot} in new mount
 * and pid namespaces, the host's system directories bound in read-only spirit), the service's
 * class path copied into its {@code /app}, and a {@code /tmp} the test chooses: a plain directory,
 * a tiny file system that fills up, or a symbolic link to a path that means something else on the
 * host. Needs root (as CI has); {@link #available()} says whether this machine can.
 *
 * <h2>Thread safety</h2>
 * One test thread.
 */
final class Chroot {

    /** What the container's /tmp is. */
    sealed interface Tmp permits Dir, Tiny, LinkTo {
    }

    /** A directory of the container's own, mode 1777. */
    record Dir() implements Tmp {
    }

    /** A tmpfs of {@code kilobytes} (too small for the agent jar). */
    record Tiny(int kilobytes) implements Tmp {
    }

    /** A symbolic link to {@code target}, an absolute path that exists inside the root and, differently, on the host. */
    record LinkTo(Path target) implements Tmp {
    }

    private final Path root;

    private Chroot(Path root) {
        this.root = root;
    }

    /** Whether namespaces and chroot can be used here (root, unshare, chroot). */
    static boolean available() throws IOException, InterruptedException {
        if (!"root".equals(System.getProperty("user.name"))) {
            return false;
        }
        Process p = new ProcessBuilder("unshare", "--mount", "--pid", "--fork", "true").redirectErrorStream(true).start();
        return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0 && Files.isExecutable(Path.of("/usr/sbin/chroot"));
    }

    /** A root under {@code base} with the ticket service on Netty 4.2 in {@code /app}. */
    static Chroot of(Path base) throws IOException {
        Path root = base.resolve("root");
        for (String d : List.of("usr", "lib", "lib64", "bin", "sbin", "etc", "dev", "proc", "app/classes", "app/lib")) {
            Files.createDirectories(root.resolve(d));
        }
        Path classes = Path.of(System.getProperty("attachtests.classes", "target/test-classes"));
        try (Stream<Path> all = Files.walk(classes.resolve("com/example/tickets"))) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path to = root.resolve("app/classes").resolve(classes.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        for (Path jar : ServiceProcess.Netty.V4_2.jars()) {
            Files.copy(jar, root.resolve("app/lib").resolve(jar.getFileName()));
        }
        return new Chroot(root);
    }

    Path root() {
        return root;
    }

    /** Starts the ticket service inside, with {@code tmp} as its /tmp. */
    ServiceProcess start(Tmp tmp) throws IOException, InterruptedException {
        String r = root.toString();
        StringBuilder setup = new StringBuilder();
        for (String d : List.of("usr", "lib", "lib64", "bin", "sbin", "etc", "dev")) {
            if (Files.isDirectory(Path.of("/" + d))) {
                setup.append("mount --rbind /").append(d).append(' ').append(r).append('/').append(d).append(" && ");
            }
        }
        setup.append("mount -t proc proc ").append(r).append("/proc && ");
        if (tmp instanceof Dir) {
            setup.append("mkdir -p ").append(r).append("/tmp && chmod 1777 ").append(r).append("/tmp && ");
        } else if (tmp instanceof Tiny t) {
            setup.append("mkdir -p ").append(r).append("/tmp && mount -t tmpfs -o size=")
                    .append(t.kilobytes()).append("k,mode=1777 tiny ").append(r).append("/tmp && ");
        } else if (tmp instanceof LinkTo l) {
            Path inside = root.resolve(l.target().toString().substring(1));
            Files.createDirectories(inside);
            setup.append("chmod 1777 ").append(inside).append(" && ");
            Files.createSymbolicLink(root.resolve("tmp"), l.target());
        }
        List<String> cp = new ArrayList<>(List.of("/app/classes"));
        try (Stream<Path> jars = Files.list(root.resolve("app/lib"))) {
            jars.sorted().forEach(j -> cp.add("/app/lib/" + j.getFileName()));
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        setup.append("cd / && exec chroot ").append(r).append(' ').append(java).append(" -Xmx128m -cp ")
                .append(String.join(":", cp)).append(' ').append(AttachToTicketServiceTest.MAIN).append(" 0");
        return ServiceProcess.run(List.of("unshare", "--mount", "--pid", "--fork", "--kill-child", "sh", "-c",
                setup.toString()), Map.of());
    }
}
