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

    /**
     * A sample that keeps talking after its startup block, as the real one does with its status lines:
     * {@code fake sample tick N} every 20 ms for at most 30 s, while serving the same registry.
     */
    public static final class Chatty {
        public static void main(String[] args) throws Exception {
            StuckFixture fixture = new StuckFixture();
            fixture.requestWaitingOnAuth(42001);
            AttachServer server = AttachServer.start(fixture.registry(), "fake-sample");
            System.out.println("fake chatty sample: pid " + ProcessHandle.current().pid());
            System.out.println("attach socket: " + server.socket());
            System.out.flush();
            for (int tick = 0; tick < 1_500; tick++) {
                System.out.println("fake sample tick " + tick);
                System.out.flush();
                java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L); // the child's pace, not a test's wait
            }
            server.close();
        }
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
