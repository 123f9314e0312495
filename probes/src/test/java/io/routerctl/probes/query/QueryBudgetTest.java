package io.routerctl.probes.query;

import io.routerctl.probes.ProbePoint;
import io.routerctl.probes.TaskRegistry;
import io.routerctl.probes.TaskShard;
import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.testing.ManualTicker;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A filter that backtracks for minutes is stopped at its budget, on a clock that moves one
 * millisecond each time the budget looks at it; a guarded match finds what a plain one finds.
 */
class QueryBudgetTest {

    /** Sixteen nested wildcards and a letter that never comes: ~10^10 steps over a 30-character string. */
    static final String HOSTILE = "(.*)".repeat(16) + "Z";

    private static QueryBudget steppingBudget(AtomicLong reads, BooleanHolder wanted) {
        AtomicLong nanos = new AtomicLong();
        return QueryBudget.of(Duration.ofSeconds(2), () -> wanted.value, () -> {
            reads.incrementAndGet();
            return nanos.getAndAdd(1_000_000L);
        });
    }

    private static final class BooleanHolder {
        volatile boolean value = true;
    }

    @Test
    void aBacktrackingFilterIsStoppedAtTheDeadline() {
        AtomicLong reads = new AtomicLong();
        QueryBudget budget = steppingBudget(reads, new BooleanHolder());
        Matcher m = Pattern.compile(HOSTILE).matcher(budget.guard("GET /api/v1/users/12345/orders"));

        assertThatThrownBy(m::find).isInstanceOf(OverBudgetException.class)
                .hasMessage("the query needed more than 2000ms; a simpler --filter (no nested or repeated .*) will do");
        // One read to set the deadline, then one per CHECK_EVERY characters until 2000 ms passed.
        assertThat(reads.get()).isEqualTo(2_001);
    }

    @Test
    void aQueryNobodyWaitsForStopsAtTheNextLook() {
        AtomicLong reads = new AtomicLong();
        BooleanHolder wanted = new BooleanHolder();
        QueryBudget budget = steppingBudget(reads, wanted);
        for (int i = 0; i < QueryBudget.CHECK_EVERY * 3; i++) {
            budget.check();
        }
        wanted.value = false;
        assertThatThrownBy(() -> {
            for (int i = 0; i < QueryBudget.CHECK_EVERY; i++) {
                budget.check();
            }
        }).isInstanceOf(OverBudgetException.class).hasMessage("the query was abandoned: its client left");
        assertThat(reads.get()).as("the clock is not read once the answer is unwanted").isEqualTo(4);
    }

    @Test
    void aRegistryQueryWithABacktrackingFilterEndsOverBudget() {
        TaskRegistry registry = new TaskRegistry(new ManualTicker(), true);
        TaskShard shard = registry.newShard("loop-0");
        long req = shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, new InetSocketAddress("127.0.0.1", 40112),
                new InetSocketAddress("127.0.0.1", 8080));
        shard.await(req, ProbePoint.await("auth"));
        CompiledQuery query = CompiledQuery.of(TaskQuery.all(0, 10).withFilter(HOSTILE));

        assertThatThrownBy(() -> registry.query(query, steppingBudget(new AtomicLong(), new BooleanHolder())))
                .isInstanceOf(OverBudgetException.class);
        assertThat(registry.query(CompiledQuery.of(TaskQuery.all(0, 10).withFilter("40112")),
                steppingBudget(new AtomicLong(), new BooleanHolder())).tasks()).hasSize(1);
    }

    @Test
    void aFilterIsCheckedForLengthAndSyntaxOnce() {
        assertThat(CompiledQuery.of(TaskQuery.all(0, 1)).filter()).isNull();
        assertThat(CompiledQuery.of(TaskQuery.all(0, 1).withFilter("a".repeat(TaskQuery.MAX_FILTER_CHARS))).filter())
                .isNotNull();
        assertThatThrownBy(() -> CompiledQuery.of(TaskQuery.all(0, 1).withFilter("a".repeat(TaskQuery.MAX_FILTER_CHARS + 1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("the filter is 257 characters long; at most 256");
        assertThatThrownBy(() -> CompiledQuery.of(TaskQuery.all(0, 1).withFilter("(")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("the filter is not a regular expression");
    }

    @Property(tries = 500)
    void aGuardedMatchFindsWhatAPlainOneFinds(@ForAll("patterns") String pattern, @ForAll("texts") String text) {
        Pattern p = Pattern.compile(pattern);
        QueryBudget generous = QueryBudget.of(Duration.ofHours(1), () -> true);
        Matcher plain = p.matcher(text);
        Matcher guarded = p.matcher(generous.guard(text));
        while (true) {
            boolean found = plain.find();
            assertThat(guarded.find()).isEqualTo(found);
            if (!found) {
                break;
            }
            assertThat(guarded.start()).isEqualTo(plain.start());
            assertThat(guarded.end()).isEqualTo(plain.end());
            assertThat(guarded.group()).isEqualTo(plain.group());
        }
    }

    @Provide
    Arbitrary<String> patterns() {
        return Arbitraries.of(List.of("auth", "^10\\.", "40[0-9]+$", "(a|b)+c", "\\bloop-\\d\\b", "w.i?t", "(?i)AUTH",
                "(?<=:)\\d+", "[^a-z]{2,}", "x*"));
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.strings().withChars("abcwitloopAUTH-0123456789.: ").ofMaxLength(40);
    }
}
