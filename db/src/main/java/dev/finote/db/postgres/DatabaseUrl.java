package dev.finote.db.postgres;

import org.postgresql.PGProperty;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A PostgreSQL connection target parsed from {@code DATABASE_URL}.
 *
 * <p>Accepts the libpq/Node form {@code postgresql://user:password@host:port/db?sslmode=…}
 * (also {@code postgres://}) with URL-encoded credentials, and a plain
 * {@code jdbc:postgresql://…} URL. As libpq does, it accepts several hosts for failover
 * ({@code postgresql://u:p@db1:5432,db2:5432/finote?target_session_attrs=read-write}), which
 * pgjdbc tries in order.
 *
 * <p>Query parameters are translated into pgjdbc's names: libpq's {@code application_name},
 * {@code connect_timeout} and {@code target_session_attrs} (see {@link #LIBPQ_NAMES}); the
 * {@code ssl*} family and {@code options} are spelled alike; pgjdbc's own names are accepted
 * as they are. Anything else is refused by name rather than silently ignored, as pgjdbc would.
 *
 * <p>{@link #query()} holds the translated, pgjdbc-form query. {@link #toString()} never shows
 * the password, so an instance is safe to log.
 */
public record DatabaseUrl(List<Endpoint> endpoints, String database, String user, String password, String query) {

    public static final int DEFAULT_PORT = 5432;

    /** One {@code host:port} of the URL; an IPv6 host keeps its brackets. */
    public record Endpoint(String host, int port) {
        @Override
        public String toString() {
            return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** libpq parameter names whose pgjdbc spelling differs. */
    static final Map<String, String> LIBPQ_NAMES = Map.of(
            "application_name", "ApplicationName",
            "connect_timeout", "connectTimeout",
            "target_session_attrs", "targetServerType");

    /** libpq's target_session_attrs values and pgjdbc's targetServerType equivalents. */
    static final Map<String, String> TARGET_SESSION_ATTRS = Map.of(
            "any", "any",
            "read-write", "primary",
            "primary", "primary",
            "read-only", "secondary",
            "standby", "secondary",
            "prefer-standby", "preferSecondary");

    /** pgjdbc names that must not come from the query: credentials belong before the @, the target in the authority. */
    private static final Set<String> NOT_IN_QUERY = Set.of("user", "password", "PGHOST", "PGPORT", "PGDBNAME");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._~%-]+|\\[[0-9A-Fa-f:.%a-zA-Z]+]");
    /** What RFC 3986 allows unencoded in a user name or password (unreserved, sub-delims, %-escapes). */
    private static final Pattern USER_INFO = Pattern.compile("[A-Za-z0-9\\-._~!$&'()*+,;=:%]*");
    private static final String ENCODE_HINT =
            "special characters in the user name or password must be URL-encoded, e.g. @ as %40, / as %2F, : as %3A";

    public DatabaseUrl {
        if (endpoints == null || endpoints.isEmpty()) throw new InvalidDatabaseUrlException("it names no host");
        for (Endpoint endpoint : endpoints) {
            if (endpoint.host() == null || endpoint.host().isBlank()) throw new InvalidDatabaseUrlException("it names no host");
        }
        endpoints = List.copyOf(endpoints);
        if (database == null || database.isBlank()) throw new InvalidDatabaseUrlException("it names no database (the path after the host, e.g. /finote)");
        query = query == null ? "" : query;
    }

    /** A single-host target; {@code query} is in pgjdbc's form. */
    public DatabaseUrl(String host, int port, String database, String user, String password, String query) {
        this(List.of(new Endpoint(host, port)), database, user, password, query);
    }

    /** The first host: the only one, unless the URL lists several for failover. */
    public String host() {
        return endpoints.getFirst().host();
    }

    /** The first host's port. */
    public int port() {
        return endpoints.getFirst().port();
    }

    /** Parses a DATABASE_URL value; throws {@link InvalidDatabaseUrlException} naming what is wrong. */
    public static DatabaseUrl parse(String value) {
        return parse("DATABASE_URL", value);
    }

    /** Parses the value of {@code variable} (named in the error message). */
    public static DatabaseUrl parse(String variable, String value) {
        try {
            return parseUrl(value);
        } catch (InvalidDatabaseUrlException e) {
            if (variable.equals("DATABASE_URL")) throw e;
            throw new InvalidDatabaseUrlException(variable, e.reason());
        }
    }

    private static DatabaseUrl parseUrl(String value) {
        if (value == null || value.isBlank()) throw new InvalidDatabaseUrlException("it is empty");
        String text = value.strip();
        if (text.startsWith("jdbc:")) text = text.substring("jdbc:".length());
        String rest;
        if (text.startsWith("postgresql://")) rest = text.substring("postgresql://".length());
        else if (text.startsWith("postgres://")) rest = text.substring("postgres://".length());
        else throw new InvalidDatabaseUrlException("it must start with postgresql:// or postgres://");

        int fragment = rest.indexOf('#');
        if (fragment >= 0) throw new InvalidDatabaseUrlException("it contains a # (a fragment); " + ENCODE_HINT + ", # as %23");
        int queryStart = rest.indexOf('?');
        String rawQuery = queryStart < 0 ? "" : rest.substring(queryStart + 1);
        String beforeQuery = queryStart < 0 ? rest : rest.substring(0, queryStart);
        // The user name and password end at the last @; an @ inside them must be written %40.
        int at = beforeQuery.lastIndexOf('@');
        String userInfo = at < 0 ? null : beforeQuery.substring(0, at);
        String afterUser = at < 0 ? beforeQuery : beforeQuery.substring(at + 1);
        if (userInfo != null && userInfo.indexOf('@') >= 0) {
            throw new InvalidDatabaseUrlException("it contains more than one @: an @ in the user name or password must be written %40"
                    + " (e.g. postgresql://finote:p%40ss@host:5432/finote)");
        }
        if (userInfo != null && userInfo.indexOf('/') >= 0) {
            throw new InvalidDatabaseUrlException("the part before the @ contains a /: " + ENCODE_HINT);
        }
        if (userInfo != null && !USER_INFO.matcher(userInfo).matches()) {
            throw new InvalidDatabaseUrlException("the user name or password contains a character that is not allowed there; " + ENCODE_HINT);
        }
        int slash = afterUser.indexOf('/');
        String authority = slash < 0 ? afterUser : afterUser.substring(0, slash);
        String path = slash < 0 ? "" : afterUser.substring(slash + 1);

        String user = null;
        String password = null;
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
        }
        List<Endpoint> endpoints = endpoints(authority);
        String database = decode(path);
        return new DatabaseUrl(endpoints, database, user, password, translate(rawQuery));
    }

    private static List<Endpoint> endpoints(String authority) {
        if (authority.isEmpty()) throw new InvalidDatabaseUrlException("it names no host (expected postgresql://user:password@host:port/database)");
        List<Endpoint> endpoints = new ArrayList<>();
        for (String part : authority.split(",", -1)) {
            String host;
            String port = null;
            if (part.startsWith("[")) {
                int close = part.indexOf(']');
                if (close < 0) throw new InvalidDatabaseUrlException("the host " + part + " opens a [ it does not close");
                host = part.substring(0, close + 1);
                if (close + 1 < part.length()) {
                    if (part.charAt(close + 1) != ':') throw new InvalidDatabaseUrlException("unexpected text after the host " + host);
                    port = part.substring(close + 2);
                }
            } else {
                int colon = part.lastIndexOf(':');
                host = colon < 0 ? part : part.substring(0, colon);
                port = colon < 0 ? null : part.substring(colon + 1);
            }
            if (host.isEmpty()) throw new InvalidDatabaseUrlException("it names no host (expected postgresql://user:password@host:port/database; several hosts as host1:5432,host2:5432)");
            if (!HOST.matcher(host).matches()) {
                throw new InvalidDatabaseUrlException("the host \"" + host + "\" is not a host name or address; " + ENCODE_HINT);
            }
            endpoints.add(new Endpoint(host, port(host, port)));
        }
        return endpoints;
    }

    private static int port(String host, String text) {
        if (text == null || text.isEmpty()) return DEFAULT_PORT;
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) return port;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidDatabaseUrlException("the port of " + host + " is not a number from 1 to 65535; if that text is part of the password, "
                + ENCODE_HINT);
    }

    /** The query in pgjdbc's names, each parameter checked; refuses unknown names rather than letting pgjdbc ignore them. */
    private static String translate(String rawQuery) {
        if (rawQuery.isEmpty()) return "";
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) continue;
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            String pgjdbcName = LIBPQ_NAMES.getOrDefault(name, name);
            if (name.equals("target_session_attrs")) {
                String mapped = TARGET_SESSION_ATTRS.get(value);
                if (mapped == null) {
                    throw new InvalidDatabaseUrlException("target_session_attrs=" + value + " is not one of "
                            + String.join(", ", TARGET_SESSION_ATTRS.keySet().stream().sorted().toList()));
                }
                value = mapped;
            }
            if (NOT_IN_QUERY.contains(pgjdbcName)) {
                throw new InvalidDatabaseUrlException("the parameter " + name + " belongs in the URL itself (postgresql://user:password@host:port/database), not after the ?");
            }
            if (PGProperty.forName(pgjdbcName) == null) {
                throw new InvalidDatabaseUrlException("the parameter \"" + name + "\" is not known; use libpq's names (sslmode, sslrootcert, sslcert, sslkey,"
                        + " application_name, connect_timeout, options, target_session_attrs) or pgjdbc's");
            }
            if (parameters.put(pgjdbcName, value) != null) {
                throw new InvalidDatabaseUrlException("the parameter " + name + " is given twice");
            }
        }
        return parameters.entrySet().stream()
                .map(parameter -> encode(parameter.getKey()) + "=" + encode(parameter.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String decode(String part) {
        try {
            return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidDatabaseUrlException("it has a % that does not start an escape like %40; " + ENCODE_HINT + ", % as %25");
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The pgjdbc URL; credentials are not part of it (pass {@link #user()} and {@link #password()}). */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + hosts() + "/" + encode(database) + (query.isEmpty() ? "" : "?" + query);
    }

    private String hosts() {
        return endpoints.stream().map(Endpoint::toString).collect(Collectors.joining(","));
    }

    /** The same target with another database name (used to reach the maintenance database). */
    public DatabaseUrl withDatabase(String otherDatabase) {
        return new DatabaseUrl(endpoints, otherDatabase, user, password, query);
    }

    /** The same target with other credentials. */
    public DatabaseUrl withCredentials(String otherUser, String otherPassword) {
        return new DatabaseUrl(endpoints, database, otherUser, otherPassword, query);
    }

    /** The libpq form, with the password URL-encoded: what DATABASE_URL would hold. */
    public String toUrlWithPassword() {
        StringBuilder out = new StringBuilder("postgresql://");
        if (user != null) {
            out.append(encode(user));
            if (password != null) out.append(':').append(encode(password));
            out.append('@');
        }
        out.append(hosts()).append('/').append(encode(database));
        if (!query.isEmpty()) out.append('?').append(query);
        return out.toString();
    }

    /** Where this points, for messages: {@code host:port/database} (hosts comma-separated when several). */
    public String describe() {
        return hosts() + "/" + database;
    }

    @Override
    public String toString() {
        return "postgresql://" + (user == null ? "" : user + (password == null ? "" : ":***") + "@")
                + hosts() + "/" + database + (query.isEmpty() ? "" : "?" + query);
    }
}
