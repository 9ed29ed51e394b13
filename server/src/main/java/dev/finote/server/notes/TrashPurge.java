package dev.finote.server.notes;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes notes that have been in the trash for {@value #KEEP_DAYS} days, and expired
 * idempotency keys. Every instance runs it; they share the work safely: each batch takes its
 * rows {@code FOR UPDATE SKIP LOCKED}, so two instances never wait on or delete the same rows,
 * and small batches keep each transaction short.
 */
@Component
public class TrashPurge {

    static final int KEEP_DAYS = 30;
    private static final int BATCH = 500;
    private static final Logger log = LoggerFactory.getLogger(TrashPurge.class);

    private final JdbcClient jdbc;
    private final IdempotentCreates idempotency;

    public TrashPurge(JdbcClient jdbc, IdempotentCreates idempotency) {
        this.jdbc = jdbc;
        this.idempotency = idempotency;
    }

    @Scheduled(initialDelayString = "PT2M", fixedDelayString = "PT1H")
    void scheduled() {
        try {
            int notes = purge();
            int keys = idempotency.deleteExpired();
            if (notes + keys > 0) log.info("housekeeping removed {} note(s) from the trash after {} days, {} expired idempotency key(s)",
                    notes, KEEP_DAYS, keys);
        } catch (DataAccessException e) {
            log.warn("trash purge skipped: {}", e.getMostSpecificCause().getMessage());
        }
    }

    /** Deletes every note in the trash for over {@value #KEEP_DAYS} days, batch by batch; how many. */
    public int purge() {
        int total = 0;
        int deleted;
        do {
            deleted = jdbc.sql("""
                    DELETE FROM notes WHERE id IN (
                        SELECT id FROM notes
                         WHERE deleted_at < timezone('UTC', now()) - make_interval(days => ?)
                         LIMIT ? FOR UPDATE SKIP LOCKED)""").params(KEEP_DAYS, BATCH).update();
            total += deleted;
        } while (deleted == BATCH);
        return total;
    }
}
