package dev.finote.server.auth;

import dev.finote.server.web.ServerBusyException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Bounds how many bcrypt computations run at once. Each takes tens of milliseconds of one
 * core, and requests run on virtual threads whose carriers are as many as the cores: a flood
 * of registrations or logins would otherwise occupy every carrier and starve everything else
 * (a logged-in user's list got 3 answers in 22 s). The rest wait in line, first come first
 * served, for at most the deadline, then get 503 with Retry-After.
 */
@Component
public class BcryptGate {

    private final Semaphore permits;
    private final Duration deadline;

    public BcryptGate(@Value("${finote.bcrypt.concurrency:0}") int concurrency,
                      @Value("${finote.bcrypt.queue-deadline-ms:3000}") long deadlineMillis) {
        // By default half the cores (at least one), so the other half keeps serving everything else.
        int permits = concurrency > 0 ? concurrency : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        this.permits = new Semaphore(permits, true);
        this.deadline = Duration.ofMillis(deadlineMillis);
    }

    public <T> T run(Supplier<T> computation) {
        boolean acquired;
        try {
            acquired = permits.tryAcquire(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerBusyException(Duration.ofSeconds(1));
        }
        if (!acquired) throw new ServerBusyException(Duration.ofSeconds(2));
        try {
            return computation.get();
        } finally {
            permits.release();
        }
    }
}
