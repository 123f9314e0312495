package io.routerctl.console.top;

import io.routerctl.probes.attach.AttachException;
import io.routerctl.probes.attach.Subscription;
import io.routerctl.probes.attach.SubscriptionListener;
import io.routerctl.probes.attach.TargetErrorException;
import io.routerctl.probes.snapshot.TaskFamily;
import io.routerctl.probes.snapshot.LoopSnapshot;
import io.routerctl.probes.snapshot.TargetInfo;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskReport;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A target the test drives by hand: each connect attempt takes the next outcome the test offered
 * (a connection or a failure), and a connection delivers updates and closes when the test says so,
 * on the test's thread, as the attach client's reader thread would.
 */
final class FakeTarget implements TopConnector {

    private static final long WAIT_SECONDS = 10;

    final BlockingQueue<Object> outcomes = new LinkedBlockingQueue<>();

    @Override
    public TopConnection connect() throws AttachException {
        Object outcome;
        try {
            outcome = outcomes.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AttachException("interrupted");
        }
        if (outcome == null) {
            throw new AttachException("the test offered no outcome");
        }
        if (outcome instanceof AttachException e) {
            throw e;
        }
        return (Connection) outcome;
    }

    @Override
    public String describe() {
        return "pid 4242";
    }

    /** One connection to the fake target. */
    static final class Connection implements TopConnection {
        final TargetInfo target;
        final BlockingQueue<TaskQuery> queries = new LinkedBlockingQueue<>();
        final Map<Long, TaskFamily> families = new ConcurrentHashMap<>();
        final AtomicBoolean closed = new AtomicBoolean();
        private final CountDownLatch subscribed = new CountDownLatch(1);
        private volatile SubscriptionListener listener;

        Connection(TargetInfo target) {
            this.target = target;
        }

        @Override
        public TargetInfo target() {
            return target;
        }

        @Override
        public Subscription subscribe(TaskQuery query, Duration interval, SubscriptionListener l) {
            listener = l;
            queries.add(query);
            subscribed.countDown();
            return new Subscription() {
                @Override
                public void update(TaskQuery q) {
                    queries.add(q);
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public TaskFamily task(long id, long olderThanMs, boolean adaptive) throws TargetErrorException {
            TaskFamily family = families.get(id);
            if (family == null) {
                throw new TargetErrorException("not_found", "no task " + id);
            }
            return family;
        }

        @Override
        public void close() {
            closed.set(true);
        }

        /** The next query the session subscribed with or changed to. */
        TaskQuery nextQuery() throws InterruptedException {
            TaskQuery q = queries.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            if (q == null) {
                throw new AssertionError("no query arrived");
            }
            return q;
        }

        void push(TaskReport report, List<LoopSnapshot> loops, long dropped) throws InterruptedException {
            awaitSubscribed();
            listener.onUpdate(target, report, loops, dropped);
        }

        void goAway() throws InterruptedException {
            awaitSubscribed();
            listener.onClosed(new IOException("connection reset by peer"));
        }

        void awaitSubscribed() throws InterruptedException {
            if (!subscribed.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("the session never subscribed");
            }
        }
    }
}
