package dev.finote.server.ops;

import dev.finote.server.auth.LoginThrottle;
import dev.finote.server.auth.SessionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Deletes expired sessions and stale login counters (rows only: the server never runs DDL). */
@Component
public class Housekeeping {

    private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);

    private final SessionStore sessions;
    private final LoginThrottle throttle;

    public Housekeeping(SessionStore sessions, LoginThrottle throttle) {
        this.sessions = sessions;
        this.throttle = throttle;
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
