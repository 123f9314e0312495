package io.routerctl.console.testing;

import io.routerctl.probes.attach.AttachServer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real attach server in its own process, for tests that need one run by another user:
 * {@code TargetMain DIR NAME}. One request from 127.0.0.1:41000 waits on auth for 9 s. Prints
 * {@code ready SOCKET} once it listens, or {@code refused MESSAGE} (exit 1) when the directory
 * is refused; then serves until killed.
 */
public final class TargetMain {

    private TargetMain() {
    }

    public static void main(String[] args) throws Exception {
        StuckFixture fixture = new StuckFixture();
        fixture.requestWaitingOnAuth(41000);
        fixture.advance(Duration.ofSeconds(9));
        AttachServer server;
        try {
            server = AttachServer.builder(fixture.registry()).name(args[1]).directory(Path.of(args[0])).start();
        } catch (IOException e) {
            System.out.println("refused " + e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println("ready " + server.socket());
        Thread.currentThread().join();
    }
}
