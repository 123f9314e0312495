package io.routerctl.netty;

import com.example.embedded.Sites;
import io.routerctl.probes.ProbePoint;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LearnedSiteTest {

    private final ProbePoint fallback = ProbePoint.observed("future from Handler (h)", ProbePoint.Kind.AWAIT, "test");

    @Test
    void aKeyWhoseFuturesAllComeFromOnePlaceLearnsThatPlace() {
        LearnedSite site = new LearnedSite(fallback);
        for (int i = 0; i < LearnedSite.SIGHTINGS; i++) {
            assertThat(Sites.here(site::point).name()).startsWith("CompletableFuture from Sites.here(Sites.java:");
        }
        assertThat(site.learned()).isTrue();
        for (int i = 0; i < 3 * LearnedSite.RECHECK; i++) {
            assertThat(Sites.here(site::point).name()).startsWith("CompletableFuture from Sites.here(Sites.java:");
        }
    }

    @Test
    void aKeyWhoseFuturesComeFromTwoPlacesFallsBackToItsHandlerRatherThanShowAWrongLine() {
        LearnedSite site = new LearnedSite(fallback);
        Sites.here(site::point);
        assertThat(Sites.there(site::point)).isSameAs(fallback);
        assertThat(Sites.here(site::point)).isSameAs(fallback);
        assertThat(site.learned()).isFalse();
    }

    @Test
    void aLearnedSiteThatStopsHoldingIsDroppedAtTheNextCheck() {
        LearnedSite site = new LearnedSite(fallback);
        for (int i = 0; i < LearnedSite.SIGHTINGS; i++) {
            Sites.here(site::point);
        }
        int wrong = 0;
        for (int i = 0; i < LearnedSite.RECHECK; i++) {
            if (Sites.there(site::point) != fallback) {
                wrong++;
            }
        }
        assertThat(wrong).as("futures shown at the learned place before the check").isLessThan(LearnedSite.RECHECK);
        assertThat(Sites.there(site::point)).isSameAs(fallback);
        assertThat(site.learned()).isFalse();
    }
}
