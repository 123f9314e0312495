package io.routerctl.agent.hooks;

import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The delegate of a sink that the agent hands an application's {@code Mono.create} callback: it
 * forwards everything, keeps the application on itself through fluent calls, and reports its first
 * signal once; and the callback wrapper hands it over only when the tracking takes it.
 */
class SinkDelegateTest {

    /** A sink API of the shape of Reactor's {@code MonoSink}. */
    public interface Sink {
        void success(Object value);

        void error(Throwable e);

        Sink onCancel(Runnable r);

        String name();
    }

    static final class RealSink implements Sink {
        final List<String> calls = new ArrayList<>();

        @Override
        public void success(Object value) {
            calls.add("success " + value);
        }

        @Override
        public void error(Throwable e) {
            calls.add("error " + e.getMessage());
            throw new IllegalStateException("already terminated");
        }

        @Override
        public Sink onCancel(Runnable r) {
            calls.add("onCancel");
            return this;
        }

        @Override
        public String name() {
            return "real";
        }
    }

    @Test
    void theDelegateForwardsKeepsTheApplicationOnItselfAndSignalsOnce() {
        RealSink real = new RealSink();
        Sink delegate = (Sink) Hooks.delegateSink(real, Sink.class);
        assertThat(Hooks.isDelegateSink(delegate)).isTrue();
        assertThat(Hooks.isDelegateSink(real)).isFalse();
        AtomicInteger signals = new AtomicInteger();
        Hooks.whenSignalled(delegate, (v, e) -> signals.incrementAndGet());

        assertThat(delegate.onCancel(() -> { })).as("a fluent call returns the delegate").isSameAs(delegate);
        assertThat(delegate.name()).isEqualTo("real");
        assertThat(Hooks.isSignalled(delegate)).isFalse();
        delegate.success(42);
        delegate.success(43);
        assertThat(real.calls).containsExactly("onCancel", "success 42", "success 43");
        assertThat(Hooks.isSignalled(delegate)).isTrue();
        assertThat(signals).as("the first signal, once").hasValue(1);
        assertThatThrownBy(() -> delegate.error(new RuntimeException("late")))
                .as("the sink's own exception, not a reflective one").isInstanceOf(IllegalStateException.class);
        assertThat(delegate).isEqualTo(delegate).isNotEqualTo(real);
    }

    /** A sink API of the shape of Reactor's {@code Sinks.One}. */
    public interface One {
        String tryEmitValue(Object value);

        String tryEmitError(Throwable error);

        Object asMono();
    }

    @Test
    void aDelegateOfAOneSinkIsSignalledByItsEmitsAndHandsOverWhatItsSinkReturns() {
        Object mono = new Object();
        List<String> calls = new ArrayList<>();
        One real = new One() {
            @Override
            public String tryEmitValue(Object value) {
                calls.add("value " + value);
                return "OK";
            }

            @Override
            public String tryEmitError(Throwable error) {
                calls.add("error " + error.getMessage());
                return "FAIL_TERMINATED";
            }

            @Override
            public Object asMono() {
                return mono;
            }
        };
        One delegate = (One) Hooks.delegateSink(real, One.class);
        List<String> seen = new ArrayList<>();
        Hooks.whenSignalled(delegate, (v, e) -> seen.add(v + "/" + (e == null ? null : e.getMessage())));
        assertThat(delegate.asMono()).as("the publisher the response subscribes to").isSameAs(mono);
        assertThat(Hooks.isSignalled(delegate)).isFalse();
        assertThat(delegate.tryEmitValue("bid 41")).isEqualTo("OK");
        assertThat(delegate.tryEmitError(new RuntimeException("late"))).isEqualTo("FAIL_TERMINATED");
        assertThat(calls).containsExactly("value bid 41", "error late");
        assertThat(Hooks.isSignalled(delegate)).isTrue();
        assertThat(seen).containsExactly("bid 41/null");

        One failing = (One) Hooks.delegateSink(real, One.class);
        List<Throwable> errors = new ArrayList<>();
        Hooks.whenSignalled(failing, (v, e) -> errors.add(e));
        failing.tryEmitError(new IllegalStateException("feed down"));
        assertThat(errors).singleElement().satisfies(e -> assertThat(e).hasMessage("feed down"));
    }

    @Test
    void aSignalBeforeTheWaitIsLinkedIsReportedWhenItIs() {
        Sink delegate = (Sink) Hooks.delegateSink(new RealSink(), Sink.class);
        delegate.success("at once");
        AtomicInteger signals = new AtomicInteger();
        Hooks.whenSignalled(delegate, (v, e) -> signals.incrementAndGet());
        assertThat(signals).hasValue(1);
    }

    @Test
    void theCallbackHandsTheDelegateOnlyWhenTheTrackingTakesItAndNothingOnceTheTrackingIsGone() {
        List<Object> handed = new ArrayList<>();
        Consumer<Object> app = handed::add;
        int site = 7;
        RealSink real = new RealSink();
        Object[] delegate = new Object[1];
        java.util.function.BiFunction<Object, Integer, Object> takes = (sink, where) -> {
            assertThat(where).isEqualTo(site);
            delegate[0] = Hooks.delegateSink(sink, Sink.class);
            return delegate[0];
        };
        Hooks.sinkCallback(app, new WeakReference<>(takes), site).accept(real);
        assertThat(handed).containsExactly(delegate[0]);

        handed.clear();
        java.util.function.BiFunction<Object, Integer, Object> declines = (sink, where) -> null;
        Hooks.sinkCallback(app, new WeakReference<>(declines), site).accept(real);
        assertThat(handed).as("not taken: the sink itself").containsExactly(real);

        handed.clear();
        java.util.function.BiFunction<Object, Integer, Object> throwing = (sink, where) -> {
            throw new IllegalStateException("a bug of ours");
        };
        Hooks.sinkCallback(app, new WeakReference<>(throwing), site).accept(real);
        assertThat(handed).as("our failure never reaches the application").containsExactly(real);
    }

    @Test
    void theCallbackHoldsTheTrackingOnlyThroughTheWeakReferenceItIsGiven() throws InterruptedException {
        java.util.function.BiFunction<Object, Integer, Object> tracking = new java.util.function.BiFunction<>() {
            @Override
            public Object apply(Object sink, Integer where) {
                return "delegate"; // an object of its own: a lambda that captures nothing is a constant
            }
        };
        WeakReference<Object> ref = new WeakReference<>(tracking);
        Consumer<Object> kept = Hooks.sinkCallback(x -> { }, new WeakReference<>(tracking), 1);
        tracking = null;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (ref.get() != null && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(10);
        }
        assertThat(ref.get()).as("a Mono kept across a detach keeps nothing of the attach").isNull();
        assertThat(kept).isNotNull();
    }
}
