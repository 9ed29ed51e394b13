package dev.finote.server.config;

import org.springframework.security.web.util.matcher.IpAddressMatcher;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * TRUSTED_PROXIES: the reverse proxies (addresses or CIDR ranges, comma-separated) whose
 * X-Forwarded-For and X-Forwarded-Proto headers are believed. From any other peer they are
 * ignored, so a client cannot pick its own address to dodge the per-address throttles.
 */
public record TrustedProxies(List<String> entries, List<IpAddressMatcher> matchers) {

    public static final TrustedProxies NONE = new TrustedProxies(List.of(), List.of());

    static TrustedProxies parse(String raw, List<String> problems) {
        List<String> entries = Arrays.stream(raw.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        List<IpAddressMatcher> matchers = new ArrayList<>();
        for (String entry : entries) {
            if (!entry.matches("[0-9A-Fa-f:.]+(/[0-9]{1,3})?")) {
                problems.add("TRUSTED_PROXIES entry '" + entry + "' is not an IP address or CIDR range like 10.0.0.0/8 (host names are not allowed)");
                continue;
            }
            try {
                matchers.add(new IpAddressMatcher(entry));
            } catch (IllegalArgumentException e) {
                problems.add("TRUSTED_PROXIES entry '" + entry + "' is not a valid IP address or CIDR range");
            }
        }
        return new TrustedProxies(entries, List.copyOf(matchers));
    }

    public boolean isEmpty() {
        return matchers.isEmpty();
    }

    public boolean trusts(String address) {
        if (address == null || !address.matches("[0-9A-Fa-f:.]+")) return false; // never a DNS lookup
        try {
            for (IpAddressMatcher matcher : matchers) {
                if (matcher.matches(address)) return true;
            }
        } catch (IllegalArgumentException e) {
            return false;
        }
        return false;
    }

    @Override
    public String toString() {
        return entries.toString();
    }
}
