package dev.finote.server.web.ui;

import dev.finote.server.support.Api;
import dev.finote.server.support.FinoteExtension;
import dev.finote.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every page test shares: one headless browser per class on the shared test server, the app
 * opened before each test, no script errors and desktop size after it, and users arranged over the API.
 * Subclass hooks run inside these (JUnit runs a superclass's {@code @BeforeEach} first and its
 * {@code @AfterEach} last).
 */
@ExtendWith(FinoteExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PageTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    protected final TestServer server;
    protected final Browser browser;
    protected final FinotePage page;
    /** The password {@link #newUser} registers with; null for a class that registers its own users. */
    private final String password;

    /** For a class that registers its users itself, each with its own password. */
    protected PageTest(TestServer server) {
        this(server, null);
    }

    protected PageTest(TestServer server, String password) {
        this.server = server;
        this.password = password;
        this.browser = Browser.start(server.baseUrl());
        this.page = new FinotePage(browser);
    }

    @AfterAll
    void closeBrowser() {
        browser.close();
    }

    @BeforeEach
    void openTheApp() {
        browser.open();
    }

    @AfterEach
    void noScriptErrorsAndDesktopAgain() {
        assertThat(browser.pageErrors()).as("errors in the page's console").isEmpty();
        browser.desktop();
    }

    /** A new user, logged in through the API (to arrange notes) and not yet in the browser. */
    protected Api newUser(String name) {
        Api api = server.api();
        api.registerAndLogin(name, Objects.requireNonNull(password, "this test class gave PageTest no password"));
        return api;
    }

    /** A new user with one note per title, each with the content "about " + title. */
    protected Api newUserWithNotes(String name, String... titles) {
        Api api = newUser(name);
        for (String title : titles) {
            Api.Response created = api.post("/api/notes", Api.json("title", title, "content", "about " + title));
            assertThat(created.status()).as("%s", created).isEqualTo(201);
        }
        return api;
    }

    protected static JsonNode create(Api api, String title, String content, boolean pinned, String color, List<String> tags) {
        Map<String, Object> note = new LinkedHashMap<>();
        note.put("title", title);
        note.put("content", content);
        note.put("isPinned", pinned);
        if (color != null) note.put("color", color);
        note.put("tags", tags);
        Api.Response response = api.post("/api/notes", JSON.writeValueAsString(note));
        assertThat(response.status()).as("%s", response).isEqualTo(201);
        return response.json();
    }

    protected static List<JsonNode> notesOf(Api api) {
        Api.Response response = api.get("/api/notes");
        assertThat(response.status()).isEqualTo(200);
        List<JsonNode> notes = new ArrayList<>();
        response.json().forEach(notes::add);
        return notes;
    }
}
