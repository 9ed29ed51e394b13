package dev.finote.server.api;

import dev.finote.server.support.Api;
import dev.finote.server.support.FinoteExtension;
import dev.finote.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.finote.server.api.ApiChecks.json;
import static dev.finote.server.api.ApiChecks.unique;
import static org.assertj.core.api.Assertions.assertThat;

/** The operations endpoints outside /api: Prometheus metrics by route template, liveness and readiness. */
@ExtendWith(FinoteExtension.class)
class MetricsApiTest {

    private final TestServer server;
    private final Api api;

    MetricsApiTest(TestServer server, Api api) {
        this.server = server;
        this.api = api;
    }

    private String metrics() {
        Api.Response response = server.api().get("/metrics");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        return response.body();
    }

    /** The value of {@code finote_http_requests_total{method,path,status}}, or 0 when not yet counted. */
    private static double requests(String metrics, String method, String path, int status) {
        Matcher matcher = Pattern.compile("(?m)^finote_http_requests_total\\{method=\"" + Pattern.quote(method) + "\",path=\""
                + Pattern.quote(path) + "\",status=\"" + status + "\"} ([0-9.eE+]+)$").matcher(metrics);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    @Test
    void requestsAreCountedByRouteTemplateNeverByRawPath() {
        api.registerAndLogin(unique("metrics"), "secret123");
        String before = metrics();

        assertThat(api.put("/api/notes/987654321", json("title", "x")).status()).isEqualTo(404);
        assertThat(api.delete("/api/notes/987654322").status()).isEqualTo(404);
        assertThat(server.api().put("/api/notes/987654323", json("title", "x")).status()).isEqualTo(401);
        assertThat(api.get("/api/notes").status()).isEqualTo(200);
        String after = metrics();

        assertThat(after).contains("# TYPE finote_http_requests_total counter");
        assertThat(requests(after, "PUT", "/api/notes/{id}", 404)).isEqualTo(requests(before, "PUT", "/api/notes/{id}", 404) + 1);
        assertThat(requests(after, "DELETE", "/api/notes/{id}", 404)).isEqualTo(requests(before, "DELETE", "/api/notes/{id}", 404) + 1);
        assertThat(requests(after, "PUT", "/api/notes/{id}", 401)).isEqualTo(requests(before, "PUT", "/api/notes/{id}", 401) + 1);
        assertThat(requests(after, "GET", "/api/notes", 200)).isEqualTo(requests(before, "GET", "/api/notes", 200) + 1);
        assertThat(after).doesNotContain("/api/notes/98765432", "987654321", "987654322", "987654323");
    }

    @Test
    void unknownPathsAndWrongMethodsNeverBecomeLabels() {
        String marker = UUID.randomUUID().toString();
        api.registerAndLogin(unique("metrics"), "secret123");

        assertThat(server.api().get("/nope/" + marker).status()).isEqualTo(404);
        assertThat(api.get("/api/" + marker).status()).isEqualTo(404);
        assertThat(api.get("/api/notes/" + Math.abs(marker.hashCode()) + "77").status()).isEqualTo(405);
        assertThat(api.put("/api/notes/x" + marker, "{}").status()).isEqualTo(400);
        String metrics = metrics();

        assertThat(metrics).doesNotContain(marker, Math.abs(marker.hashCode()) + "77");
        assertThat(requests(metrics, "GET", "unmatched", 404)).isPositive();
        assertThat(requests(metrics, "PUT", "/api/notes/{id}", 400)).isPositive();
    }

    @Test
    void metricsNeedNoSession() {
        Api.Response response = server.api().get("/metrics");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).contains("finote_http_requests_total{");
    }

    @Test
    void healthzAnswersOkAndReadyzAnswersReadyWithoutASession() {
        Api.Response health = server.api().get("/healthz");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().propertyNames()).containsExactly("status");
        assertThat(health.json().get("status").stringValue()).isEqualTo("ok");

        Api.Response ready = server.api().get("/readyz");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().get("status").stringValue()).isEqualTo("ready");
    }
}
