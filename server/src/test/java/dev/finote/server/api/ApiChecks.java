package dev.finote.server.api;

import dev.finote.server.support.Api;
import dev.finote.server.support.Sql;
import dev.finote.server.support.SharedDatabase;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions and small helpers shared by the API tests. */
final class ApiChecks {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private ApiChecks() {
    }

    /** A name no other test (or earlier run against the same database) uses. */
    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 12);
    }

    /** JSON from alternating names and values of any type (null, numbers, booleans, lists, maps). */
    static String json(Object... namesAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) map.put((String) namesAndValues[i], namesAndValues[i + 1]);
        return JSON.writeValueAsString(map);
    }

    /** A response that is a JSON object, served as application/json, without anything a stack trace or error page would leave. */
    static JsonNode assertJsonBody(Api.Response response) {
        assertThat(response.header("Content-Type")).as("Content-Type of %s", response)
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(response.body()).as("body")
                .doesNotContain("Exception", "<html", "<HTML", "\tat ", "trace", "timestamp", "org.springframework", "dev.finote");
        JsonNode body = response.json();
        assertThat(body.isObject()).as("body is a JSON object: %s", response.body()).isTrue();
        return body;
    }

    /** An error answer: the status, JSON {@code {"message": message}} and nothing else. */
    static void assertError(Api.Response response, int status, String message) {
        assertThat(response.status()).as("status of %s", response).isEqualTo(status);
        JsonNode body = assertJsonBody(response);
        assertThat(body.path("message").stringValue()).as("message of %s", response).isEqualTo(message);
        assertThat(body.propertyNames()).as("fields of %s", response).containsExactly("message");
    }

    /** A validation error: the status, the message code and the offending field. */
    static void assertFieldError(Api.Response response, int status, String message, String field) {
        assertThat(response.status()).as("status of %s", response).isEqualTo(status);
        JsonNode body = assertJsonBody(response);
        assertThat(body.path("message").stringValue()).as("message of %s", response).isEqualTo(message);
        assertThat(body.path("field").stringValue()).as("field of %s", response).isEqualTo(field);
    }

    /** A 4xx JSON error naming {@code field}, whatever its exact code. */
    static void assertRejectsField(Api.Response response, String field) {
        assertThat(response.status()).as("status of %s", response).isEqualTo(400);
        JsonNode body = assertJsonBody(response);
        assertThat(body.path("message").isString()).as("message of %s", response).isTrue();
        assertThat(body.path("message").stringValue()).matches("[a-z][a-z0-9_]*");
        assertThat(body.path("field").stringValue()).as("field of %s", response).isEqualTo(field);
    }

    static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.stringValue()));
        return values;
    }

    static List<Integer> ids(JsonNode notes) {
        List<Integer> ids = new ArrayList<>();
        notes.forEach(note -> ids.add(note.get("id").intValue()));
        return ids;
    }

    static void forgetFailedLogins(SharedDatabase db) {
        Sql.update(db.superuserUrl(), "DELETE FROM finote_login_throttle");
    }

    static long count(SharedDatabase db, String sql, Object... parameters) {
        return ((Number) Sql.value(db.superuserUrl(), sql, parameters)).longValue();
    }
}
