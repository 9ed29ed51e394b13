package dev.finote.server.auth;

import dev.finote.server.config.FinoteSettings;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Registrations per client address (REGISTRATIONS_PER_ADDRESS): past the limit within 15 minutes, further attempts from
 * that address are refused with 429 for 1 s, then 2, 4 … up to 15 minutes. Every attempt that
 * gets as far as hashing a password counts, successful or not.
 */
@Component
public class RegistrationThrottle {

    private final ThrottleCounters counters;
    private final int limit;

    public RegistrationThrottle(ThrottleCounters counters, FinoteSettings settings) {
        this.counters = counters;
        this.limit = settings.registrationsPerAddress();
    }

    /** REGISTRATIONS_PER_ADDRESS=0: nobody may register (an instance for existing users only). */
    public boolean closed() {
        return limit == 0;
    }

    public Optional<Duration> blockedFor(String address) {
        String key = key(address);
        ThrottleCounters.State state = counters.states(List.of(key)).get(key);
        return state.blocked() ? Optional.of(state.blockedFor()) : Optional.empty();
    }

    public void record(String address) {
        counters.count(key(address), limit);
    }

    private static String key(String address) {
        return ThrottleCounters.key("register", address);
    }
}
