package dev.finote.server.ops;

import dev.finote.server.auth.LoginThrottle;
import dev.finote.server.auth.UserRepository;
import dev.finote.server.auth.SessionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes expired sessions and stale login counters, and stores the username skeletons that
 * rows from before that column lack (rows only: the server never runs DDL).
 */
@Component
public class Housekeeping {

    private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);

    /** Users whose skeleton one pass stores at most, in batches of {@value #SKELETON_BATCH}. */
    static final int SKELETONS_PER_PASS = 100_000;
    static final int SKELETON_BATCH = 1_000;

    private final SessionStore sessions;
    private final LoginThrottle throttle;
    private final UserRepository users;

    public Housekeeping(SessionStore sessions, LoginThrottle throttle, UserRepository users) {
        this.sessions = sessions;
        this.throttle = throttle;
        this.users = users;
    }

    /**
     * Registrations compare a new name with each user that has no stored skeleton yet: after an
     * upgrade (or while the previous release still registers users) this fills them in, soon
     * after start and then every minute, so that set stays small.
     */
    @Scheduled(initialDelayString = "PT10S", fixedDelayString = "PT1M")
    public void storeMissingSkeletons() {
        try {
            int stored = 0;
            int batch;
            do {
                batch = users.storeMissingSkeletons(SKELETON_BATCH);
                stored += batch;
            } while (batch == SKELETON_BATCH && stored < SKELETONS_PER_PASS);
            if (stored > 0) log.info("housekeeping stored the username skeleton of {} user(s)", stored);
        } catch (DataAccessException e) {
            log.warn("username skeletons not stored this time: {}", e.getMostSpecificCause().getMessage());
        }
    }

    @Scheduled(initialDelayString = "PT1M", fixedDelayString = "PT10M")
    void purge() {
        try {
            int expired = sessions.deleteExpired();
            int stale = throttle.deleteStale();
            if (expired + stale > 0) log.info("housekeeping removed {} expired session(s), {} stale login counter(s)", expired, stale);
        } catch (DataAccessException e) {
            log.warn("housekeeping skipped: {}", e.getMostSpecificCause().getMessage());
        }
    }
}
