package io.routerctl.console.top;

import io.routerctl.probes.snapshot.LoopSnapshot;
import io.routerctl.probes.snapshot.TaskReport;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RateMeterTest {

    private static TaskReport at(long ms) {
        return new TaskReport(Fixtures.T0 + ms, 0, 0, 0, List.of(), List.of(), 0);
    }

    @Test
    void rateIsNewTasksPerSecondOfTheTargetsClock() {
        RateMeter meter = new RateMeter();
        LiveData first = meter.observe(Fixtures.target(), at(0), Fixtures.loops(1_000, 2_000));
        assertThat(first.tasksPerSecond()).as("one update is not a rate").isNaN();
        LiveData second = meter.observe(Fixtures.target(), at(500), Fixtures.loops(1_100, 2_050));
        assertThat(second.tasksPerSecond()).isEqualTo(300.0);
        assertThat(second.loopRate("loop-0")).isEqualTo(200.0);
        assertThat(second.loopRate("loop-1")).isEqualTo(100.0);
        assertThat(second.requestsPerSecond()).as("requests: half of what registered").isEqualTo(150.0);
    }

    @Test
    void aRestartedTargetStartsTheRateOver() {
        RateMeter meter = new RateMeter();
        meter.observe(Fixtures.target(4242, 10_000), at(0), Fixtures.loops(1_000, 1_000));
        LiveData other = meter.observe(Fixtures.target(5151, 100), at(1_000), Fixtures.loops(10, 10));
        assertThat(other.tasksPerSecond()).isNaN();
        LiveData next = meter.observe(Fixtures.target(5151, 1_100), at(2_000), Fixtures.loops(20, 30));
        assertThat(next.tasksPerSecond()).isEqualTo(30.0);
    }

    @Test
    void aCounterGoingBackwardsIsNotANegativeRate() {
        RateMeter meter = new RateMeter();
        meter.observe(Fixtures.target(), at(0), List.of(new LoopSnapshot("loop-0", 1, 1, 0, 500, 0)));
        LiveData data = meter.observe(Fixtures.target(), at(1_000), List.of(new LoopSnapshot("loop-0", 1, 1, 0, 100, 0)));
        assertThat(data.tasksPerSecond()).isNaN();
        assertThat(data.loopRate("loop-0")).isNaN();
    }
}
