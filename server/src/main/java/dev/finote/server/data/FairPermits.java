package dev.finote.server.data;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * A counting semaphore that serves waiters strictly in arrival order, and whose waits are
 * untimed parks: a deadline is enforced by {@link #expire}, which its owner calls
 * periodically, not by a timer per wait.
 *
 * <p>Why not {@link java.util.concurrent.Semaphore}: its timed {@code tryAcquire} arms a
 * timer for every wait, and on JDK 25 a virtual thread's timed park wakes the scheduler's
 * timer thread twice (to arm it and to cancel it). Under load nearly every request waits
 * for a connection, and those wake-ups cost about a tenth of the server's CPU on
 * {@code GET /api/notes} (measured with bench/run and a profiler).
 */
final class FairPermits {

    private enum State { WAITING, GRANTED, EXPIRED, ABANDONED }

    /** One queued caller; its state changes only under the lock, and is read by its own thread. */
    private static final class Waiter {
        final Thread thread = Thread.currentThread();
        final long deadline;
        volatile State state = State.WAITING;

        Waiter(long deadline) {
            this.deadline = deadline;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    /** Only waiters in state WAITING, oldest first. */
    private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
    private int available;
    private boolean closed;

    FairPermits(int permits) {
        if (permits < 1) throw new IllegalArgumentException("permits must be at least 1, not " + permits);
        this.available = permits;
    }

    /**
     * Takes a permit, queueing behind every earlier caller until one is released to it, or
     * until {@link #expire} finds the wait past {@code deadline} (a {@link System#nanoTime()}).
     *
     * @return whether a permit was taken (false: the deadline passed first, or {@link #close} was called)
     * @throws InterruptedException when interrupted while queued; no permit is then held
     */
    boolean acquire(long deadline) throws InterruptedException {
        Waiter waiter;
        lock.lock();
        try {
            if (closed) return false;
            if (queue.isEmpty() && available > 0) {
                available--;
                return true;
            }
            waiter = new Waiter(deadline);
            queue.addLast(waiter);
        } finally {
            lock.unlock();
        }
        while (waiter.state == State.WAITING) {
            LockSupport.park(this);
            if (Thread.interrupted()) {
                abandon(waiter);
                throw new InterruptedException("interrupted while waiting for a permit");
            }
        }
        return waiter.state == State.GRANTED;
    }

    /** Returns a permit: straight to the longest-waiting caller, if any. */
    void release() {
        Waiter next;
        lock.lock();
        try {
            next = queue.pollFirst();
            if (next == null) {
                available++;
                return;
            }
            next.state = State.GRANTED;
        } finally {
            lock.unlock();
        }
        LockSupport.unpark(next.thread);
    }

    /** Ends, unsuccessfully, every wait whose deadline is at or before {@code now}; returns how many. */
    int expire(long now) {
        return endWaits(waiter -> now - waiter.deadline >= 0);
    }

    /** Ends every wait unsuccessfully and refuses all later callers; returns how many waits ended. */
    int close() {
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
        return endWaits(waiter -> true);
    }

    boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    private int endWaits(Predicate<Waiter> due) {
        List<Waiter> expired = new ArrayList<>();
        lock.lock();
        try {
            for (Iterator<Waiter> waiting = queue.iterator(); waiting.hasNext(); ) {
                Waiter waiter = waiting.next();
                if (due.test(waiter)) {
                    waiting.remove();
                    waiter.state = State.EXPIRED;
                    expired.add(waiter);
                }
            }
        } finally {
            lock.unlock();
        }
        expired.forEach(waiter -> LockSupport.unpark(waiter.thread));
        return expired.size();
    }

    /** How many callers are queued now. */
    int waiting() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** How many permits are free now. */
    int available() {
        lock.lock();
        try {
            return available;
        } finally {
            lock.unlock();
        }
    }

    /** Leaves the queue after an interrupt; a permit granted in the meantime is passed on. */
    private void abandon(Waiter waiter) {
        boolean granted;
        lock.lock();
        try {
            granted = waiter.state == State.GRANTED;
            if (waiter.state == State.WAITING) {
                queue.remove(waiter);
                waiter.state = State.ABANDONED;
            }
        } finally {
            lock.unlock();
        }
        if (granted) release();
    }
}
