package io.routerctl.probes;

import io.routerctl.probes.snapshot.TaskGrowth;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Live tasks that only grow are reported; a count that goes up and down, or grows a little, is not. */
class GrowthWatchTest {

    private final GrowthWatch watch = new GrowthWatch(GrowthWatch.WINDOW_SAMPLES, GrowthWatch.PERIOD, GrowthWatch.MIN_RISE);

    private void samples(long first, long step, int n) {
        for (int i = 0; i < n; i++) {
            watch.sample(first + step * i);
        }
    }

    @Test
    void tasksThatOnlyGrowForFiveMinutesAreReported() {
        samples(1_200, 100, GrowthWatch.WINDOW_SAMPLES - 1);
        assertThat(watch.growth()).as("not yet a full window").isNull();
        watch.sample(1_200 + 100 * 30);
        assertThat(watch.growth()).isEqualTo(new TaskGrowth(1_200, 4_200, 300_000));

        watch.sample(4_200); // flat is still "only grew"
        assertThat(watch.growth()).isEqualTo(new TaskGrowth(1_300, 4_200, 300_000));
        watch.sample(4_199); // one step down: a busy service, not a leak
        assertThat(watch.growth()).isNull();
    }

    @Test
    void aSmallOrProportionallyModestRiseIsNotALeak() {
        samples(100, 30, GrowthWatch.WINDOW_SAMPLES);
        assertThat(watch.growth()).as("rose by 900, under the minimum rise").isNull();

        GrowthWatch big = new GrowthWatch(GrowthWatch.WINDOW_SAMPLES, Duration.ofSeconds(10), GrowthWatch.MIN_RISE);
        for (int i = 0; i < GrowthWatch.WINDOW_SAMPLES; i++) {
            big.sample(100_000 + 1_000L * i);
        }
        assertThat(big.growth()).as("rose by 30,000 from 100,000: not doubled").isNull();
    }
}
