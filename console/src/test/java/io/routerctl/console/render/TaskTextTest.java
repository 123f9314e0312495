package io.routerctl.console.render;

import io.routerctl.probes.snapshot.StepSnapshot;
import io.routerctl.probes.snapshot.TaskFamily;
import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.snapshot.TaskSnapshot;
import io.routerctl.probes.snapshot.TaskState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TaskTextTest {

    private static TaskSnapshot connection(TaskState state, long ageMs) {
        return new TaskSnapshot(257, TaskKind.CONNECTION, null, "127.0.0.1:42001", "127.0.0.1:8080", "loop-0",
                ageMs, state, null, null, null, null, null, false, ageMs, List.of(), 0, List.of());
    }

    private static TaskSnapshot request(long id, boolean stuck) {
        return new TaskSnapshot(id, TaskKind.REQUEST, 257L, "127.0.0.1:42001", "127.0.0.1:8080", "loop-0",
                9_000, TaskState.WAITING, "request-read", 9_000L, "auth", 9_000L, null, stuck, 9_000,
                List.of(new StepSnapshot("request-read", 0.0)), 0, List.of());
    }

    @Test
    void stepsOfOneEventSayTheyShareItsTimeStampInsteadOfAZeroDelta() {
        TaskSnapshot t = new TaskSnapshot(258, TaskKind.REQUEST, 257L, "127.0.0.1:42001", "127.0.0.1:8080", "loop-0",
                9_000, TaskState.WAITING, "auth-requested", 9_000L, "auth", 9_000L, null, true, 9_000,
                List.of(new StepSnapshot("request-read", 0.25), new StepSnapshot("routed", 0.25),
                        new StepSnapshot("auth-requested", 0.25), new StepSnapshot("upstream", 1.5)), 0, List.of());
        String text = TaskText.render(new TaskFamily(t, null, List.of(), List.of()), 1_000);
        List<String> steps = text.lines().dropWhile(l -> !l.equals("Steps:")).skip(2).limit(4)
                .map(l -> l.trim().replaceAll(" +", " ")).toList();
        assertThat(steps).containsExactly("request-read 0.25ms +0.25ms", "routed 0.25ms same stamp",
                "auth-requested 0.25ms same stamp", "upstream 1.5ms +1.25ms");
        assertThat(text).contains(TaskText.SAME_STAMP_MEANS).doesNotContain("+0ms");
    }

    @Test
    void aConnectionWhoseRequestCarriesTheWorkIsServingNotIdle() {
        String text = TaskText.render(new TaskFamily(connection(TaskState.IDLE, 12_000), null, List.of(),
                List.of(request(258, true))), 1_000);
        assertThat(text).contains("state serving").doesNotContain("state idle");
    }

    @Test
    void aRequestsParentConnectionIsServingIt() {
        String text = TaskText.render(new TaskFamily(request(258, true), connection(TaskState.IDLE, 12_000), List.of(),
                List.of()), 1_000);
        assertThat(text).contains("Parent: connection 257 serving, age 12s").doesNotContain("257 idle");
    }

    @Test
    void aConnectionWithNothingInFlightIsIdle() {
        String text = TaskText.render(new TaskFamily(connection(TaskState.IDLE, 12_000), null, List.of(), List.of()), 1_000);
        assertThat(text.lines().findFirst().orElseThrow()).isEqualTo("connection 257 (not stuck: idle)");
        assertThat(text).contains("state idle");
    }

    @Test
    void aTaskThatIsNotStuckNeverAlsoSaysItHasNoStepYet() {
        String text = TaskText.render(new TaskFamily(connection(TaskState.RUNNING, 300), null, List.of(), List.of()), 1_000);
        assertThat(text.lines().findFirst().orElseThrow()).isEqualTo("connection 257 (not stuck: started 300ms ago)");
        assertThat(text).doesNotContain("no step yet").doesNotContain("last progress");
    }

    @Test
    void aRequestReadBeforeTheAttachGivesItsAgeAsALowerBound() {
        TaskSnapshot before = new TaskSnapshot(260, TaskKind.REQUEST, 257L, "127.0.0.1:42001", "127.0.0.1:8080",
                "loop-0", 9_000, TaskState.RUNNING, null, null, null, null, null, true, 9_000, List.of(), 0, List.of(),
                "older-than", "read before attach", true);
        assertThat(TaskText.render(new TaskFamily(before, null, List.of(), List.of()), 1_000)).contains("age at least 9s");
        assertThat(StuckTaskTable.of(List.of(before)).render()).contains("\u22659s");
    }

    @Test
    void aStuckTaskWithoutAStepSaysSo() {
        TaskSnapshot stuck = new TaskSnapshot(259, TaskKind.REQUEST, 257L, "127.0.0.1:42001", "127.0.0.1:8080",
                "loop-0", 9_000, TaskState.RUNNING, null, null, null, null, null, true, 9_000, List.of(), 0, List.of());
        String text = TaskText.render(new TaskFamily(stuck, null, List.of(), List.of()), 1_000);
        assertThat(text).contains("(stuck: no progress for").contains("no step yet");
    }
}
