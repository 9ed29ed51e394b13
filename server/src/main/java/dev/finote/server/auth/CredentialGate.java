package dev.finote.server.auth;

import dev.finote.server.web.ServerBusyException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Bounds how many requests that check or set a password (register, login, password change,
 * account deletion) do their work at once: their database checks and their bcrypt. A bcrypt
 * takes tens of milliseconds of one core, and requests run on virtual threads whose carriers
 * are as many as the cores: a flood of registrations once occupied every carrier and starved
 * everything else (a logged-in user's list got 3 answers in 22 s). Gating only the bcrypt was
 * not enough: the waiting flood's throttle and duplicate checks still queued for the database
 * connections ahead of the list. The rest wait here, in memory, first come first served, for at
 * most the deadline, then get 503 with Retry-After without having touched the database.
 */
@Component
public class CredentialGate {

    private final Semaphore permits;
    private final Duration deadline;

    public CredentialGate(@Value("${finote.credentials.concurrency:0}") int concurrency,
                      @Value("${finote.credentials.queue-deadline-ms:3000}") long deadlineMillis) {
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
