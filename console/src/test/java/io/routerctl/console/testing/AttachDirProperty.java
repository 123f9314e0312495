package io.routerctl.console.testing;

import java.nio.file.Path;

/** Points this JVM's attach servers at a test's own directory, and back. */
public final class AttachDirProperty implements AutoCloseable {

    public static final String NAME = "routerctl.attach.dir";

    private final String previous;

    public AttachDirProperty(Path dir) {
        previous = System.getProperty(NAME);
        System.setProperty(NAME, dir.toString());
    }

    @Override
    public void close() {
        if (previous == null) {
            System.clearProperty(NAME);
        } else {
            System.setProperty(NAME, previous);
        }
    }
}
