package dev.finote.server.web.ui;

import dev.finote.server.support.Api;
import dev.finote.server.support.SharedDatabase;
import dev.finote.server.support.Sql;
import dev.finote.server.support.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import java.util.ArrayList;
import java.util.List;

import static dev.finote.server.web.ui.FinotePage.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Register, log in, log out and every error the auth API returns, in a real browser. */
class AuthPagesTest extends PageTest {

    private final SharedDatabase db;

    AuthPagesTest(TestServer server, SharedDatabase db) {
        super(server);
        this.db = db;
    }

    @BeforeEach
    @AfterEach
    void forgetFailedLogins() {
        Sql.update(db.superuserUrl(), "DELETE FROM finote_login_throttle");
    }

    private String registeredUser(String password) {
        String name = unique("ui");
        Api.Response response = server.api().post("/api/auth/register", Api.json("username", name, "password", password));
        assertThat(response.status()).as("%s", response).isEqualTo(201);
        return name;
    }

    @Test
    void aNewVisitorSeesTheLoginForm() {
        assertThat(browser.visible("#auth-heading").getText()).isEqualTo("Log in");
        assertThat(browser.byId("notes-view").isDisplayed()).isFalse();
        assertThat(browser.byId("session").isDisplayed()).isFalse();
        assertThat(browser.driver().getTitle()).isEqualTo("Log in · Finote");
        browser.screenshot("01-login");
    }

    @Test
    void thePagePolicyRefusesHtmlFromStringsAndOtherOrigins() {
        // Trusted Types: even the page's own code cannot turn a string into markup.
        assertThatThrownBy(() -> browser.script("document.getElementById('banner').innerHTML = '<b>x</b>'"))
                .hasMessageContaining("TrustedHTML");
        // connect-src 'self': no sending notes elsewhere; the violation reaches the console the tests watch.
        browser.script("fetch('http://127.0.0.1:9/steal').catch(() => {})");
        List<String> errors = new ArrayList<>();
        browser.until(d -> errors.addAll(browser.pageErrors()) && errors.stream().anyMatch(e -> e.contains("Content Security Policy")));
    }

    @Test
    void registeringCreatesTheAccountAndLogsIn() {
        String name = unique("new");
        page.submitRegister(name, "secret123");

        page.waitLoggedIn(name);
        assertThat(page.textOf("#banner")).isEqualTo("Welcome, " + name + "! Your account is ready.");
        assertThat(page.textOf("#empty")).isEqualTo("No notes yet. Write your first one above.");
        assertThat(browser.focused()).isEqualTo(browser.byId("note-title"));
        // The account is real: the API logs it in with the same password.
        assertThat(server.api().post("/api/auth/login", Api.json("username", name, "password", "secret123")).status()).isEqualTo(200);
        browser.screenshot("02-registered-empty-list");
    }

    @Test
    void registrationErrorsAreExplained() {
        page.submitRegister("", "");
        page.waitForMessage("#register-error", "Choose a username and a password.");

        String taken = registeredUser("secret123");
        page.submitRegister(taken, "another-password");
        page.waitForMessage("#register-error", "That username is taken. Choose another one.");

        browser.type("#register-username", "x".repeat(101));
        browser.type("#register-password", "secret123");
        browser.find("#register-form button[type=submit]").click();
        page.waitForMessage("#register-username-error", "That username is too long (at most 100 characters).");
        assertThat(browser.byId("register-username").getDomAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.focused()).isEqualTo(browser.byId("register-username"));
        browser.screenshot("03-register-error");

        browser.byId("show-login").click();
        assertThat(browser.visible("#login-form").isDisplayed()).isTrue();
    }

    @Test
    void aWrongPasswordOrMissingFieldsSayWhatIsWrong() {
        String name = registeredUser("right-password");

        page.submitLogin(name, "wrong-password");
        page.waitForMessage("#login-error", "Wrong username or password.");
        assertThat(browser.byId("login-password").getDomProperty("value")).isEmpty();
        assertThat(browser.byId("notes-view").isDisplayed()).isFalse();
        browser.screenshot("04-login-wrong-password");

        page.submitLogin("", "");
        page.waitForMessage("#login-error", "Enter your username and your password.");

        page.login(name, "right-password");
        assertThat(browser.byId("login-error").isDisplayed()).isFalse();
    }

    @Test
    void aThrottledLoginSaysHowLongToWait() throws InterruptedException {
        String name = registeredUser("right-password");
        for (int i = 1; i <= 5; i++) {
            page.submitLogin(name, "wrong-" + i);
            page.waitForMessage("#login-error", "Wrong username or password.");
            browser.script("document.getElementById('login-error').hidden = true");
        }

        page.submitLogin(name, "right-password");

        page.waitForMessage("#login-error", "Too many failed login attempts. Wait 1 second before trying again.");
        assertThat(browser.byId("notes-view").isDisplayed()).isFalse();
        browser.screenshot("05-login-throttled");

        Thread.sleep(1_300);
        page.login(name, "right-password");
    }

    @Test
    void afterAFailedLoginARegistrationAndALogoutTheLoginFormIsClean() {
        String existing = registeredUser("right-password");
        page.submitLogin(existing, "wrong-password");
        page.waitForMessage("#login-error", "Wrong username or password.");

        String name = unique("fresh");
        page.submitRegister(name, "plum-Orchard-42");
        page.waitLoggedIn(name);
        browser.byId("logout").click();

        page.waitForMessage("#banner", "You have logged out.");
        assertThat(browser.visible("#login-form").isDisplayed()).isTrue();
        assertThat(browser.byId("login-error").isDisplayed()).isFalse();
        assertThat(browser.byId("login-username").getDomProperty("value")).isEmpty();
        assertThat(browser.byId("login-password").getDomProperty("value")).isEmpty();
        assertThat(browser.byId("auth-view").getText()).doesNotContain("Wrong username or password.");
        browser.screenshot("06b-logged-out-clean-form");
    }

    @Test
    void loggingOutEndsTheSession() {
        String name = registeredUser("secret123");
        page.login(name, "secret123");

        browser.byId("logout").click();

        page.waitForMessage("#banner", "You have logged out.");
        assertThat(browser.visible("#login-form").isDisplayed()).isTrue();
        assertThat(browser.byId("login-username").getDomProperty("value")).as("the last user's name is not kept").isEmpty();
        assertThat(browser.byId("notes-view").isDisplayed()).isFalse();
        browser.reload(); // the server forgot the session: the app starts at the login form again
        assertThat(browser.visible("#login-form").isDisplayed()).isTrue();
        assertThat(browser.byId("session").isDisplayed()).isFalse();
    }

    @Test
    void aReloadKeepsTheSession() {
        String name = registeredUser("secret123");
        page.login(name, "secret123");

        browser.reload();

        page.waitLoggedIn(name);
    }

    @Test
    void anExpiredSessionGoesBackToLoginWithAMessageAndKeepsTheDraft() {
        String name = registeredUser("secret123");
        page.login(name, "secret123");
        page.fillEditor("Draft written before expiry", "not lost", null, null, null);
        Sql.update(db.superuserUrl(), "DELETE FROM finote_sessions WHERE user_id = (SELECT id FROM users WHERE username = ?)", name);

        page.saveEditor();

        page.waitForMessage("#banner", "Your session has expired. Please log in again.");
        assertThat(browser.visible("#login-form").isDisplayed()).isTrue();
        assertThat(browser.byId("login-username").getDomProperty("value")).isEqualTo(name);
        assertThat(browser.focused()).isEqualTo(browser.byId("login-password"));
        browser.screenshot("06-session-expired");

        browser.byId("login-password").sendKeys("secret123", Keys.ENTER);
        page.waitLoggedIn(name);
        assertThat(browser.byId("note-title").getDomProperty("value")).isEqualTo("Draft written before expiry");
        page.saveEditor();
        page.card("Draft written before expiry");
    }

    @Test
    void aDraftKeptAfterExpiryIsNotShownToSomeoneElse() {
        String first = registeredUser("secret123");
        String second = registeredUser("secret123");
        page.login(first, "secret123");
        page.fillEditor("Private draft", "for the first user only", "mine", "red", true);
        Sql.update(db.superuserUrl(), "DELETE FROM finote_sessions WHERE user_id = (SELECT id FROM users WHERE username = ?)", first);
        page.saveEditor();
        page.waitForMessage("#banner", "Your session has expired. Please log in again.");

        page.login(second, "secret123");

        for (String field : new String[] {"note-title", "note-content", "note-tags"}) {
            assertThat(browser.byId(field).getDomProperty("value")).as(field).isEmpty();
        }
        assertThat(browser.byId("note-pinned").isSelected()).isFalse();
        assertThat(browser.byId("color-default-radio").isSelected()).isTrue();
    }

    @Test
    void logInAndWriteANoteWithTheKeyboardAlone() {
        String name = registeredUser("secret123");
        browser.script("document.activeElement.blur()");

        browser.tabTo(browser.byId("login-username"), 6);
        browser.press(name);
        browser.press(Keys.TAB);
        assertThat(browser.focused()).isEqualTo(browser.byId("login-password"));
        browser.press("secret123");
        assertFocusRingIsVisible();
        browser.press(Keys.ENTER);
        page.waitLoggedIn(name);

        browser.tabTo(browser.byId("note-title"), 10);
        browser.press("Typed with keys");
        browser.press(Keys.TAB);
        browser.press("No mouse was used.");
        browser.tabTo(browser.byId("note-tags"), 3);
        browser.press("keyboard, a11y");
        browser.tabTo(browser.byId("color-default-radio"), 3);
        browser.press(Keys.ARROW_RIGHT); // radio groups move with the arrow keys
        assertThat(browser.byId("color-red-radio").isSelected()).isTrue();
        browser.tabTo(browser.byId("note-pinned"), 3);
        browser.press(Keys.SPACE);
        assertThat(browser.byId("note-pinned").isSelected()).isTrue();
        browser.tabTo(browser.byId("save-note"), 3);
        assertFocusRingIsVisible();
        browser.press(Keys.ENTER);

        WebElement card = page.card("Typed with keys");
        assertThat(card.getDomAttribute("class")).contains("color-red", "pinned");
        assertThat(FinotePage.tagsOf(card)).containsExactly("#keyboard", "#a11y");
        assertThat(browser.focused()).isEqualTo(browser.byId("note-title"));

        // Delete it with the keyboard too: no dialog; focus lands on the toast's Undo, and Escape dismisses the toast.
        browser.tabTo(FinotePage.action(card, "delete"), 25);
        browser.press(Keys.ENTER);
        page.waitUntilNoCard("Typed with keys");
        page.waitForMessage("#toast-text", "Note moved to the trash.");
        assertThat(browser.focused()).isEqualTo(browser.byId("toast-undo"));
        assertFocusRingIsVisible();
        browser.press(Keys.ESCAPE);
        browser.until(d -> !browser.byId("toast").isDisplayed());
        assertThat(browser.focused()).isEqualTo(browser.byId("note-title"));
    }

    private void assertFocusRingIsVisible() {
        assertThat(browser.script("return getComputedStyle(document.activeElement).outlineStyle")).isNotEqualTo("none");
    }
}
