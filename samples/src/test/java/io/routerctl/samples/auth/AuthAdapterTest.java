package io.routerctl.samples.auth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AuthAdapterTest {

    @Test
    void fixedAdapterNeverLosesACompletionUnderConcurrentHammering() throws Exception {
        try (AdapterHarness h = new AdapterHarness("fixed", 3, LatencyRange.parse("0..200us"))) {
            long sent = 0;
            for (int round = 0; round < 20; round++) {
                h.burst(1_000, 2);
                sent += 1_000;
            }
            h.awaitCallbacks(sent);
            assertThat(h.library.coalesced()).as("requests joined lookups in flight").isPositive();
            assertThat(h.seen.get()).isEqualTo(sent);
            assertThat(h.lost()).isZero();
        }
    }

    @Test
    void buggyAdapterLosesWakeUpsUnderConcurrency() throws Exception {
        try (AdapterHarness h = new AdapterHarness("buggy", 2, LatencyRange.parse("0..200us"))) {
            long sent = 0;
            for (int round = 0; round < 50 && h.lost() == 0; round++) {
                h.burst(500, 2);
                sent += 500;
                h.awaitCallbacks(sent);
            }
            assertThat(h.library.callbacksCalled()).isEqualTo(sent);
            assertThat(h.lost()).as("completions delivered by the library but never seen by their waiter")
                    .isPositive();
        }
    }

    /** Two callers overlap on one lookup (the library is not busy): the glue registers at once. */
    @Test
    void buggyAdapterLosesNothingWhileTheLibraryIsQuiet() throws Exception {
        try (AdapterHarness h = new AdapterHarness("buggy", 2, LatencyRange.parse("0..200us"))) {
            long sent = 0;
            for (int round = 0; round < 300; round++) {
                h.burst(BuggyAuthAdapter.BUSY_CALLERS - 1, 1);
                sent += BuggyAuthAdapter.BUSY_CALLERS - 1;
                h.awaitCallbacks(sent);
            }
            assertThat(h.library.coalesced()).as("the pairs did overlap on one lookup").isPositive();
            assertThat(h.lost()).isZero();
            assertThat(h.seen.get()).isEqualTo(sent);
        }
    }

    /**
     * The caller that finds the library busy defers its registration by the batch delay; a lookup
     * shorter than that answers inside the window: case 4, a lost wake-up. Only the callers past the
     * busy mark can lose theirs.
     */
    @Test
    void theCallerThatFindsTheLibraryBusyLosesItsWakeUpWhenTheLookupEndsInTheWindow() throws Exception {
        int callers = BuggyAuthAdapter.BUSY_CALLERS;
        try (AdapterHarness h = new AdapterHarness("buggy", 2, LatencyRange.parse("200us"))) {
            long sent = 0;
            int rounds = 0;
            for (; rounds < 50 && h.lost() == 0; rounds++) {
                h.burst(callers, 1);
                sent += callers;
                h.awaitCallbacks(sent);
            }
            assertThat(h.lost()).as("lost after %d rounds of %d callers", rounds, callers).isPositive()
                    .isLessThanOrEqualTo(rounds);
        }
    }

    @Test
    void buggyAdapterLosesNothingOneRequestAtATime() throws Exception {
        try (AdapterHarness h = new AdapterHarness("buggy", 2, LatencyRange.parse("2ms..8ms"))) {
            for (int i = 0; i < 300; i++) {
                h.one("tok-" + (i % 2));
            }
            assertThat(h.library.callbacksCalled()).isEqualTo(300);
            assertThat(h.lost()).isZero();
            assertThat(h.seen.get()).isEqualTo(300);
        }
    }

    @Test
    void latencyRangesParseWithUnits() {
        assertThat(LatencyRange.parse("0")).isEqualTo(new LatencyRange(0, 0));
        assertThat(LatencyRange.parse("2ms")).isEqualTo(new LatencyRange(2_000_000, 2_000_000));
        assertThat(LatencyRange.parse("1..3ms")).isEqualTo(new LatencyRange(1_000_000, 3_000_000));
        assertThat(LatencyRange.parse("500us..1ms")).isEqualTo(new LatencyRange(500_000, 1_000_000));
        assertThat(LatencyRange.parse("1ms..3ms").toString()).isEqualTo("1ms..3ms");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LatencyRange.parse("3..1ms"))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LatencyRange.parse("fast"))
                .hasMessageContaining("bad latency");
    }
}
