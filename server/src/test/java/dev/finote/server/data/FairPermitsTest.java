package dev.finote.server.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The queue's rules with real (virtual) threads: first come first served, deadlines, interrupts. */
@Timeout(30) // a lost wake-up would otherwise hang the build instead of failing it
class FairPermitsTest {

    private static final long FAR = TimeUnit.HOURS.toNanos(1);

    @Test
    void grantsAtOnceWhileAPermitIsFree() throws InterruptedException {
        FairPermits permits = new FairPermits(2);
        assertThat(permits.acquire(System.nanoTime() + FAR)).isTrue();
        assertThat(permits.acquire(System.nanoTime() + FAR)).isTrue();
        assertThat(permits.available()).isZero();
        permits.release();
        assertThat(permits.available()).isEqualTo(1);
    }

    @Test
    void servesWaitersInTheOrderTheyArrived() throws Exception {
        FairPermits permits = new FairPermits(1);
        permits.acquire(System.nanoTime() + FAR);
        List<Integer> served = new CopyOnWriteArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 8; i++) {
                int caller = i;
                threads.submit(() -> {
                    permits.acquire(System.nanoTime() + FAR);
                    served.add(caller);
                    permits.release();
                    return null;
                });
                awaitValue(permits::waiting, i + 1); // caller i is queued before caller i + 1 starts
            }
            permits.release();
        }
        assertThat(served).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(permits.available()).isEqualTo(1);
    }

    @Test
    void aReleasedPermitGoesToTheWaiterNotToANewcomer() throws Exception {
        FairPermits permits = new FairPermits(1);
        permits.acquire(System.nanoTime() + FAR);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Boolean> waiter = threads.submit(() -> permits.acquire(System.nanoTime() + FAR));
            awaitValue(permits::waiting, 1);
            permits.release();
            assertThat(waiter.get(5, TimeUnit.SECONDS)).isTrue();
            assertThat(permits.available()).as("handed over, not returned to the free count").isZero();

            Future<Boolean> newcomer = threads.submit(() -> permits.acquire(System.nanoTime()));
            awaitValue(permits::waiting, 1);
            assertThat(permits.expire(System.nanoTime())).isEqualTo(1);
            assertThat(newcomer.get(5, TimeUnit.SECONDS)).as("the newcomer had to queue and its deadline passed").isFalse();
        }
    }

    @Test
    void expireEndsOnlyTheWaitsPastTheirDeadline() throws Exception {
        FairPermits permits = new FairPermits(1);
        permits.acquire(System.nanoTime() + FAR);
        long now = System.nanoTime();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Boolean> overdue = threads.submit(() -> permits.acquire(now - 1));
            awaitValue(permits::waiting, 1);
            Future<Boolean> patient = threads.submit(() -> permits.acquire(now + FAR));
            awaitValue(permits::waiting, 2);

            assertThat(permits.expire(now)).isEqualTo(1);
            assertThat(overdue.get(5, TimeUnit.SECONDS)).isFalse();
            assertThat(permits.waiting()).isEqualTo(1);

            permits.release();
            assertThat(patient.get(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void anInterruptedWaiterLeavesTheQueueWithoutTakingAPermit() throws Exception {
        FairPermits permits = new FairPermits(1);
        permits.acquire(System.nanoTime() + FAR);
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                outcome.set(permits.acquire(System.nanoTime() + FAR));
            } catch (InterruptedException e) {
                outcome.set(e);
            }
        });
        awaitValue(permits::waiting, 1);
        waiter.interrupt();
        assertThat(waiter.join(Duration.ofSeconds(5))).isTrue();
        assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
        assertThat(permits.waiting()).isZero();
        permits.release();
        assertThat(permits.available()).as("the permit is not lost to the interrupted caller").isEqualTo(1);
    }

    @Test
    void closingEndsEveryWaitAndRefusesLaterCallers() throws Exception {
        FairPermits permits = new FairPermits(1);
        permits.acquire(System.nanoTime() + FAR);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Boolean> waiter = threads.submit(() -> permits.acquire(System.nanoTime() + FAR));
            awaitValue(permits::waiting, 1);
            assertThat(permits.close()).isEqualTo(1);
            assertThat(waiter.get(5, TimeUnit.SECONDS)).isFalse();
        }
        permits.release();
        assertThat(permits.isClosed()).isTrue();
        assertThat(permits.acquire(System.nanoTime() + FAR)).as("even with a permit free").isFalse();
    }

    @Test
    void refusesAQueueWithoutPermits() {
        assertThatThrownBy(() -> new FairPermits(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
    }

    /** Waits (up to 5 s) until {@code value} reaches {@code expected}: the other thread's progress. */
    static void awaitValue(IntSupplier value, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (value.getAsInt() != expected) {
            if (System.nanoTime() > deadline) throw new AssertionError("expected " + expected + ", still " + value.getAsInt());
            Thread.sleep(1);
        }
    }
}
