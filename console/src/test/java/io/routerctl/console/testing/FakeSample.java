package io.routerctl.console.testing;

import io.routerctl.probes.attach.AttachServer;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Stands in for the samples jar's {@code demo} in demo tests: prints a startup block (with the
 * arguments it got), serves a registry with two requests stuck on auth for 9.8s over a real attach
 * server, and runs until it is stopped or its parent dies.
 */
public final class FakeSample {

    private FakeSample() {
    }

    public static void main(String[] args) throws Exception {
        StuckFixture fixture = new StuckFixture();
        fixture.requestWaitingOnAuth(42001);
        fixture.requestWaitingOnAuth(42002);
        fixture.advance(Duration.ofMillis(9_800));
        System.out.println("fake sample router: pid " + ProcessHandle.current().pid() + ", args "
                + String.join(" ", args));
        AttachServer server = AttachServer.start(fixture.registry(), "fake-sample");
        System.out.println("attach socket: " + server.socket());
        System.out.flush();
        CountDownLatch parentGone = new CountDownLatch(1);
        ProcessHandle.current().parent().ifPresent(p -> p.onExit().thenRun(parentGone::countDown));
        parentGone.await();
        server.close();
    }

    /** A sample that fails at startup. */
    public static final class FailsAtStartup {
        public static void main(String[] args) {
            System.out.println("fake sample: cannot bind port 8080");
            System.exit(7);
        }
    }

    /** A sample that starts but never opens its attach socket. */
    public static final class NeverAttachable {
        public static void main(String[] args) throws InterruptedException {
            System.out.println("fake sample: starting forever");
            System.out.flush();
            new CountDownLatch(1).await();
        }
    }
}
