package dev.finote.server.auth;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Slows down password guessing without locking real users out. Failed logins are counted
 * per client address, per username (all addresses together) and per username from each
 * address. An address past its limit is refused whatever the username. A username past its
 * limit is refused only to addresses that have themselves failed for it within the window:
 * its owner, logging in from an address that has not failed for it, is never refused
 * because of other addresses' failures, while each guessing address gets at most one
 * guess per block. Blocks last 1 s, then 2, 4 … up to 15 minutes. Only failures count; a
 * successful login clears its own address's count for that username.
 */
@Component
public class LoginThrottle {

    private final ThrottleCounters counters;
    private final int usernameLimit;
    private final int addressLimit;

    public LoginThrottle(ThrottleCounters counters,
                         @Value("${finote.login.failures-per-username:5}") int usernameLimit,
                         @Value("${finote.login.failures-per-address:20}") int addressLimit) {
        this.counters = counters;
        this.usernameLimit = usernameLimit;
        this.addressLimit = addressLimit;
    }

    /** How long the caller must wait before trying again, if refused now. */
    public Optional<Duration> blockedFor(String username, String address) {
        Keys keys = new Keys(username, address);
        Map<String, ThrottleCounters.State> states = counters.states(List.of(keys.user, keys.address, keys.pair));
        Duration wait = Duration.ZERO;
        ThrottleCounters.State byAddress = states.get(keys.address);
        if (byAddress.blocked()) wait = byAddress.blockedFor();
        ThrottleCounters.State byUser = states.get(keys.user);
        if (byUser.blocked() && states.get(keys.pair).events() > 0 && byUser.blockedFor().compareTo(wait) > 0) wait = byUser.blockedFor();
        return wait.isZero() ? Optional.empty() : Optional.of(wait);
    }

    public void recordFailure(String username, String address) {
        Keys keys = new Keys(username, address);
        counters.count(keys.pair, Integer.MAX_VALUE); // marks the address as one that failed for this username
        counters.count(keys.user, usernameLimit);
        counters.count(keys.address, addressLimit);
    }

    public void recordSuccess(String username, String address) {
        counters.forget(new Keys(username, address).pair);
    }

    /** Forgets counts whose window has passed and that no longer block anyone. */
    public int deleteStale() {
        return counters.deleteStale();
    }

    /** Usernames are counted by their skeleton, so {@code victim} and {@code VICTIM} are one. */
    private record Keys(String user, String address, String pair) {
        Keys(String username, String address) {
            this(ThrottleCounters.key("user", Usernames.skeleton(username)), ThrottleCounters.key("addr", address),
                    ThrottleCounters.key("pair", Usernames.skeleton(username) + '\n' + address));
        }
    }
}
