package dev.finote.server.web.ui;

import dev.finote.server.notes.search.SearchFolding;
import dev.finote.server.support.Api;
import dev.finote.server.support.FinoteExtension;
import dev.finote.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** How the server serves the web app's files: headers, caching, and that the API keeps its routes and 404s. */
@ExtendWith(FinoteExtension.class)
class AppServingTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();


    private final TestServer server;

    AppServingTest(TestServer server) {
        this.server = server;
    }

    @Test
    void slashServesThePageWithAStrictContentSecurityPolicy() {
        Api.Response page = server.api().get("/");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html").contains("UTF-8"));
        assertThat(page.body()).contains("<title>Finote</title>", "src=\"/assets/app.js\"", "href=\"/assets/app.css\"");
        String csp = page.header("Content-Security-Policy").orElseThrow();
        assertThat(csp).contains("default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'",
                "frame-ancestors 'none'", "require-trusted-types-for 'script'");
        assertThat(csp).doesNotContain("unsafe-inline", "unsafe-eval", "*");
        // The page has no inline script or style for the policy to forbid.
        assertThat(page.body()).doesNotContainPattern("<script(?![^>]*\\bsrc=)").doesNotContain("style=", "<style");
        assertThat(page.header("X-Content-Type-Options")).contains("nosniff");
        assertThat(page.header("Cache-Control")).hasValueSatisfying(c -> assertThat(c).contains("no-cache").doesNotContain("no-store"));
    }

    @Test
    void thePageAndAssetsAreRevalidatedWithA304() {
        Api api = server.api();
        Api.Response page = api.get("/");
        String etag = page.header("ETag").orElseThrow();
        assertThat(api.send("GET", "/", null, "If-None-Match", etag).status()).isEqualTo(304);

        Api.Response script = api.get("/assets/app.js");
        String lastModified = script.header("Last-Modified").orElseThrow();
        assertThat(script.header("Cache-Control")).hasValueSatisfying(c -> assertThat(c).contains("no-cache"));
        assertThat(api.send("GET", "/assets/app.js", null, "If-Modified-Since", lastModified).status()).isEqualTo(304);
    }

    @Test
    void assetsHaveTheirContentTypes() {
        Api api = server.api();
        assertContentType(api.get("/assets/app.js"), "text/javascript");
        assertContentType(api.get("/assets/api.js"), "text/javascript");
        assertContentType(api.get("/assets/text.js"), "text/javascript");
        assertContentType(api.get("/assets/app.css"), "text/css");
        assertContentType(api.get("/assets/favicon.svg"), "image/svg+xml");
    }

    /** Search highlights mark the words the server matched: the page folds accents as the server does. */
    @Test
    void thePageFoldsAccentsWithTheSearchIndexTable() {
        String script = server.api().get("/assets/text.js").body();
        // JSON string literals are JavaScript string literals: the table may hold quotes and backslashes.
        assertThat(script).contains("const PUNCTUATION = " + JSON.writeValueAsString(SearchFolding.PUNCTUATION) + ";",
                "const LETTERS_FROM = " + JSON.writeValueAsString(SearchFolding.LETTERS_FROM) + ";",
                "const LETTERS_TO = " + JSON.writeValueAsString(SearchFolding.LETTERS_TO) + ";",
                "const MARKS = /[\\u0300-\\u036f]/g;", "text.normalize('NFD')");
    }

    private static void assertContentType(Api.Response response, String type) {
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        assertThat(response.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith(type));
        assertThat(response.header("X-Content-Type-Options")).contains("nosniff");
    }

    @Test
    void everythingElseIsStillTheApisJson404() {
        Api api = server.api();
        for (String path : new String[] {"/index.html", "/static/index.html", "/assets/", "/assets/nope.js",
                "/assets/../application.properties", "/assets/%2e%2e/application.properties", "/application.properties",
                "/db/schema.sql", "/static/assets/app.js", "/app.js", "/favicon.ico"}) {
            Api.Response response = api.get(path);
            assertThat(response.status()).as(path).isIn(400, 404);
            assertThat(response.body()).as(path).startsWith("{").doesNotContain("spring.", "CREATE TABLE");
        }
        assertThat(api.get("/assets/nope.js").body()).isEqualTo("{\"message\":\"not_found\"}");
        Api.Response post = api.post("/", "{}");
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.body()).isEqualTo("{\"message\":\"method_not_allowed\"}");
    }

    @Test
    void theApiIsUnchangedNextToTheApp() {
        Api api = server.api();
        assertThat(api.get("/api/notes").status()).isEqualTo(401);
        assertThat(api.get("/api/auth/me").body()).isEqualTo("{\"message\":\"unauthorized\"}");
        assertThat(api.get("/healthz").body()).isEqualTo("{\"status\":\"ok\"}");
        assertThat(api.get("/api/assets/app.js").status()).isEqualTo(401);
    }
}
