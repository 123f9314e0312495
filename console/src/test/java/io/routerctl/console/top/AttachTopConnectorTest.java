package io.routerctl.console.top;

import io.routerctl.probes.attach.AttachException;
import io.routerctl.probes.attach.AttachTarget;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What counts as "the target is back": the same socket, or with --name any process of that name. */
class AttachTopConnectorTest {

    private static final Path DIR = Path.of("/tmp/routerctl-test");

    private final Map<Path, FakeTarget.Connection> live = new HashMap<>();
    private final List<FakeTarget.Connection> opened = new ArrayList<>();

    private void start(long pid, String name) {
        live.put(DIR.resolve(pid + ".sock"), new FakeTarget.Connection(
                new io.routerctl.probes.snapshot.TargetInfo(pid, name, 0, 0, 2, 1, "17")));
    }

    private void stop(long pid) {
        live.remove(DIR.resolve(pid + ".sock"));
    }

    private AttachTopConnector connector(Path socket, String name) {
        return new AttachTopConnector(socket, name, name == null ? null : java.util.List.of(DIR), path -> {
            FakeTarget.Connection c = live.get(path);
            if (c == null) {
                throw new AttachException("no process behind " + path);
            }
            opened.add(c);
            return c;
        }, dir -> live.keySet().stream().map(p -> new AttachTarget(
                Long.parseLong(p.getFileName().toString().replace(".sock", "")), p)).toList());
    }

    @Test
    void byNameARestartUnderANewPidCountsAsBack() throws Exception {
        start(100, "other-service");
        start(4242, "sample-router");
        AttachTopConnector connector = connector(null, "sample-router");
        assertThat(connector.describe()).isEqualTo("name sample-router");
        assertThat(connector.connect().target().pid()).isEqualTo(4242);
        assertThat(opened.get(0).closed).as("a process of another name is let go").isTrue();

        stop(4242);
        assertThatThrownBy(connector::connect).isInstanceOf(AttachException.class)
                .hasMessageContaining("no attachable process named sample-router");
        start(5151, "sample-router");
        assertThat(connector.connect().target().pid()).isEqualTo(5151);
    }

    @Test
    void byPidOnlyTheSameSocketCountsAsBack() throws Exception {
        start(4242, "sample-router");
        AttachTopConnector connector = connector(DIR.resolve("4242.sock"), null);
        assertThat(connector.describe()).isEqualTo("pid 4242");
        assertThat(connector.connect().target().pid()).isEqualTo(4242);
        stop(4242);
        start(5151, "sample-router");
        assertThatThrownBy(connector::connect).isInstanceOf(AttachException.class)
                .hasMessageContaining("4242.sock");
    }
}
