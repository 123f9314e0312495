package io.routerctl.samples;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

class TrackingOptionTest {

    private static boolean trackingAfter(String... args) {
        Options.RouterOptions options = new Options.RouterOptions();
        new CommandLine(options).parseArgs(args);
        return options.toServerOptions().tracking;
    }

    @Test
    void trackingOffAndOnAreTakenAsValuesInBothSpellings() {
        assertThat(trackingAfter("--tracking", "off")).isFalse();
        assertThat(trackingAfter("--tracking=off")).isFalse();
        assertThat(trackingAfter("--tracking", "on")).isTrue();
        assertThat(trackingAfter("--tracking=ON")).isTrue();
        assertThat(trackingAfter()).isTrue();
    }
}
