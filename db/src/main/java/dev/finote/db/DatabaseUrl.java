package dev.finote.db;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A PostgreSQL connection target parsed from {@code DATABASE_URL}.
 *
 * <p>Accepts the libpq/Node form {@code postgresql://user:password@host:port/db?sslmode=…}
 * (also {@code postgres://}) with URL-encoded credentials, and a plain
 * {@code jdbc:postgresql://…} URL. Query parameters are passed through to pgjdbc, which
 * understands the libpq names that matter here ({@code sslmode}, {@code sslrootcert}, …).
 *
 * <p>{@link #toString()} never shows the password, so an instance is safe to log.
 */
public record DatabaseUrl(String host, int port, String database, String user, String password, String query) {

    public static final int DEFAULT_PORT = 5432;

    public DatabaseUrl {
        if (host == null || host.isBlank()) throw new InvalidDatabaseUrlException("it names no host");
        if (database == null || database.isBlank()) throw new InvalidDatabaseUrlException("it names no database (the path after the host, e.g. /finote)");
        query = query == null ? "" : query;
    }

    /** Parses a DATABASE_URL value; throws {@link InvalidDatabaseUrlException} naming what is wrong. */
    public static DatabaseUrl parse(String value) {
        if (value == null || value.isBlank()) throw new InvalidDatabaseUrlException("it is empty");
        String text = value.strip();
        if (text.startsWith("jdbc:")) text = text.substring("jdbc:".length());
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new InvalidDatabaseUrlException("it is not a valid URL (" + e.getReason()
                    + "); special characters in the user name or password must be URL-encoded, e.g. @ as %40");
        }
        String scheme = uri.getScheme();
        if (!"postgresql".equals(scheme) && !"postgres".equals(scheme)) {
            throw new InvalidDatabaseUrlException("it must start with postgresql:// or postgres://");
        }
        if (uri.getHost() == null) {
            throw new InvalidDatabaseUrlException("it names no host (expected postgresql://user:password@host:port/database)");
        }
        String user = null;
        String password = null;
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String database = decode(path.startsWith("/") ? path.substring(1) : path);
        int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
        return new DatabaseUrl(uri.getHost(), port, database, user, password, uri.getRawQuery());
    }

    private static String decode(String part) {
        return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The pgjdbc URL; credentials are not part of it (pass {@link #user()} and {@link #password()}). */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + encodePath(database) + (query.isEmpty() ? "" : "?" + query);
    }

    private static String encodePath(String database) {
        return java.net.URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The same target with another database name (used to reach the maintenance database). */
    public DatabaseUrl withDatabase(String otherDatabase) {
        return new DatabaseUrl(host, port, otherDatabase, user, password, query);
    }

    /** The same target with other credentials. */
    public DatabaseUrl withCredentials(String otherUser, String otherPassword) {
        return new DatabaseUrl(host, port, database, otherUser, otherPassword, query);
    }

    /** The libpq form, with the password URL-encoded: what DATABASE_URL would hold. */
    public String toUrlWithPassword() {
        StringBuilder out = new StringBuilder("postgresql://");
        if (user != null) {
            out.append(encodeUserInfo(user));
            if (password != null) out.append(':').append(encodeUserInfo(password));
            out.append('@');
        }
        out.append(host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host)
                .append(':').append(port).append('/').append(encodePath(database));
        if (!query.isEmpty()) out.append('?').append(query);
        return out.toString();
    }

    private static String encodeUserInfo(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Where this points, for messages: {@code host:port/database}. */
    public String describe() {
        return host + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
        return "postgresql://" + (user == null ? "" : user + (password == null ? "" : ":***") + "@")
                + host + ":" + port + "/" + database + (query.isEmpty() ? "" : "?" + query);
    }
}
