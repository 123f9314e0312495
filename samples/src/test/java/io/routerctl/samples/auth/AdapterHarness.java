package io.routerctl.samples.auth;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Drives an adapter the way the router does (submit and wait, on an event loop) and counts the
 * completions the library delivered against the ones the waiters saw.
 */
final class AdapterHarness implements AutoCloseable {
    final LegacyAuth library;
    final AuthAdapter adapter;
    final EventLoop loop = new DefaultEventLoop();
    final AtomicLong seen = new AtomicLong();
    final AuthListener listener = (ctx, result) -> seen.incrementAndGet();

    AdapterHarness(String adapterName, int threads, LatencyRange latency) {
        library = new LegacyAuth(threads, latency);
        adapter = AuthAdapter.named(adapterName, library, io.routerctl.samples.router.RouterPoints.AUTH);
    }

    /** Submits {@code n} calls for {@code tokens} tokens in one loop task (a burst on a busy loop). */
    void burst(int n, int tokens) throws InterruptedException {
        CountDownLatch submitted = new CountDownLatch(1);
        loop.execute(() -> {
            for (int i = 0; i < n; i++) {
                adapter.authenticate("tok-" + (i % tokens), loop).whenComplete(null, listener);
            }
            submitted.countDown();
        });
        if (!submitted.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError("burst not submitted");
        }
    }

    /** One call, then waits (bounded) until the library has called it back and the loop is drained. */
    void one(String token) throws InterruptedException {
        long before = library.callbacksCalled();
        loop.execute(() -> adapter.authenticate(token, loop).whenComplete(null, listener));
        awaitCallbacks(before + 1);
    }

    /** Waits until the library has made {@code count} callbacks and the loop ran everything queued since. */
    void awaitCallbacks(long count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (library.callbacksCalled() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("library made " + library.callbacksCalled() + " of " + count + " callbacks");
            }
            LockSupport.parkNanos(200_000); // poll interval
        }
        drainLoop();
        drainLoop();
    }

    private void drainLoop() throws InterruptedException {
        CountDownLatch drained = new CountDownLatch(1);
        loop.execute(drained::countDown);
        if (!drained.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError("loop did not drain");
        }
    }

    long lost() {
        return library.callbacksCalled() - seen.get();
    }

    @Override
    public void close() {
        library.close();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
