package io.routerctl.samples.e2e;

import io.routerctl.probes.attach.AttachClient;
import io.routerctl.probes.attach.Subscription;
import io.routerctl.probes.attach.SubscriptionListener;
import io.routerctl.probes.snapshot.LoopSnapshot;
import io.routerctl.probes.snapshot.TargetInfo;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskReport;
import io.routerctl.samples.load.LoadGenerator;
import io.routerctl.samples.load.LoadReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one-minute version of {@code docs/bench/soak.sh}, for CI: the sample router (fixed adapter,
 * a separate process, heap fixed so its RSS measures leaks) under steady load for 60 s while a
 * console attaches, asks and detaches every second and another subscribes and hangs up every
 * second. No request is lost, every console cycle works, the registry is back to 0 tasks once the
 * load's connections are gone, and the router's RSS grows by at most 5% from 10 s in to the end.
 * The rate is fixed (CI machines differ); the long run at 70% of saturation is the script's.
 */
class SoakTest {

    static final Duration LENGTH = Duration.ofSeconds(60);
    static final int RATE = 400;

    @TempDir
    Path attachDir;

    @Test
    void aMinuteOfLoadWithConsolesComingAndGoingLosesNothingAndLeavesNothing() throws Exception {
        try (SampleRouterProcess sample = SampleRouterProcess.start("fixed", attachDir, Duration.ofSeconds(30),
                List.of("-Xms128m", "-Xmx128m", "-XX:+AlwaysPreTouch"))) {
            Cli cli = new Cli(attachDir);
            assertThat(cli.run("list").exitCode()).as("console classes loaded before the clock starts").isZero();
            AtomicInteger dumps = new AtomicInteger();
            AtomicInteger subscriptions = new AtomicInteger();
            AtomicReference<String> consoleFailure = new AtomicReference<>();
            AtomicReference<Long> rssAtTenSeconds = new AtomicReference<>();
            ScheduledExecutorService consoles = Executors.newScheduledThreadPool(2);
            try (LoadGenerator load = LoadGenerator.to(sample.host(), sample.port()).rate(RATE).duration(LENGTH)
                    .timeout(Duration.ofSeconds(10)).start()) {
                consoles.scheduleAtFixedRate(() -> {
                    Cli.Result r = cli.run("dump-stuck", "--older-than", "2s", "--timeout", "10s",
                            "--socket", sample.socket().toString());
                    if (r.exitCode() == 0) {
                        dumps.incrementAndGet();
                    } else {
                        consoleFailure.compareAndSet(null, r.toString());
                    }
                }, 0, 1, TimeUnit.SECONDS);
                consoles.scheduleAtFixedRate(() -> {
                    try {
                        subscribeTwoUpdatesAndLeave(sample.socket());
                        subscriptions.incrementAndGet();
                    } catch (Exception e) {
                        consoleFailure.compareAndSet(null, "subscribe: " + e);
                    }
                }, 0, 1, TimeUnit.SECONDS);
                consoles.schedule(() -> rssAtTenSeconds.set(rssKb(sample.pid())), 10, TimeUnit.SECONDS);

                assertThat(load.awaitDone(LENGTH.plusSeconds(30))).as("the load ends").isTrue();
                long rssAtEnd = rssKb(sample.pid());
                consoles.shutdown();
                assertThat(consoles.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
                LoadReport report = load.report();
                System.out.printf("soak: %s; %d dump-stuck, %d subscriptions; RSS %d -> %d kB%n",
                        report.line(), dumps.get(), subscriptions.get(), rssAtTenSeconds.get(), rssAtEnd);

                assertThat(report.sent()).as(report.line()).isGreaterThan(RATE * LENGTH.toSeconds() * 8 / 10);
                assertThat(report.ok()).as("every request answered: " + report.line()).isEqualTo(report.sent());
                assertThat(consoleFailure.get()).as("every console cycle worked").isNull();
                assertThat(dumps.get()).isGreaterThanOrEqualTo((int) LENGTH.toSeconds() / 2);
                assertThat(subscriptions.get()).isGreaterThanOrEqualTo((int) LENGTH.toSeconds() / 2);
                assertThat(rssAtEnd).as("RSS growth from 10 s in to the end, kB")
                        .isLessThanOrEqualTo(rssAtTenSeconds.get() * 105 / 100);
            } finally {
                consoles.shutdownNow();
            }
            try (AttachClient client = AttachClient.connect(sample.socket(), Duration.ofSeconds(10))) {
                Deadline.await(Duration.ofSeconds(30), "the registry back to 0 tasks", () -> {
                    try {
                        return client.loops(0).stream().mapToInt(LoopSnapshot::tasks).sum() == 0;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, () -> "tasks left");
            }
        }
    }

    private static void subscribeTwoUpdatesAndLeave(Path socket) throws Exception {
        try (AttachClient client = AttachClient.connect(socket, Duration.ofSeconds(10))) {
            CountDownLatch updates = new CountDownLatch(2);
            Subscription s = client.subscribe(TaskQuery.stuck(2_000, 5), Duration.ofMillis(200), new SubscriptionListener() {
                @Override
                public void onUpdate(TargetInfo target, TaskReport report, List<LoopSnapshot> loops, long dropped) {
                    updates.countDown();
                }

                @Override
                public void onClosed(Exception cause) {
                }
            });
            if (!updates.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no two updates within 10 s");
            }
            s.close();
        }
    }

    private static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the RSS of " + pid, e);
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }
}
