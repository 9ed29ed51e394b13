package dev.finote.server.web;

import dev.finote.server.config.TrustedProxies;
import jakarta.servlet.ServletException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Takes the client address and scheme from {@code X-Forwarded-For} / {@code X-Forwarded-Proto}
 * only when the peer is one of TRUSTED_PROXIES. The client is the rightmost address in
 * X-Forwarded-For that is not itself a trusted proxy: entries left of it were written by the
 * client and prove nothing. Tomcat's RemoteIpValve trusts every private and loopback peer by
 * default and takes no CIDR ranges, hence this valve.
 */
public class TrustedProxyValve extends ValveBase {

    /** More hops than any real chain of proxies; the rest of a huge header is never looked at. */
    static final int MAX_HOPS = 20;

    private final TrustedProxies proxies;

    public TrustedProxyValve(TrustedProxies proxies) {
        super(true);
        this.proxies = proxies;
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        String peer = request.getRemoteAddr();
        if (!proxies.trusts(peer)) {
            getNext().invoke(request, response);
            return;
        }
        String originalAddress = request.getRemoteAddr();
        String originalHost = request.getRemoteHost();
        String originalScheme = request.getScheme();
        boolean originalSecure = request.isSecure();
        int originalPort = request.getServerPort();
        try {
            String client = client(request);
            request.setRemoteAddr(client);
            request.setRemoteHost(client);
            String proto = request.getHeader("X-Forwarded-Proto");
            if ("https".equalsIgnoreCase(proto) || "http".equalsIgnoreCase(proto)) {
                boolean https = "https".equalsIgnoreCase(proto);
                request.setSecure(https);
                request.getCoyoteRequest().scheme().setString(https ? "https" : "http");
                request.setServerPort(forwardedPort(request, https ? 443 : 80));
            }
            getNext().invoke(request, response);
        } finally {
            request.setRemoteAddr(originalAddress);
            request.setRemoteHost(originalHost);
            request.setSecure(originalSecure);
            request.getCoyoteRequest().scheme().setString(originalScheme);
            request.setServerPort(originalPort);
        }
    }

    private String client(Request request) {
        List<String> hops = new ArrayList<>();
        for (String header : Collections.list(request.getHeaders("X-Forwarded-For"))) {
            for (String hop : header.split(",")) {
                if (!hop.isBlank()) hops.add(hop.strip());
            }
        }
        String client = request.getRemoteAddr();
        for (int i = hops.size() - 1, seen = 0; i >= 0 && seen < MAX_HOPS; i--, seen++) {
            client = hops.get(i);
            if (!proxies.trusts(client)) break;
        }
        return client;
    }

    private static int forwardedPort(Request request, int fallback) {
        String port = request.getHeader("X-Forwarded-Port");
        if (port != null && port.matches("[0-9]{1,5}")) return Integer.parseInt(port);
        String host = request.getHeader("Host");
        if (host != null && host.matches(".*:[0-9]{1,5}")) return Integer.parseInt(host.substring(host.lastIndexOf(':') + 1));
        return fallback;
    }
}
