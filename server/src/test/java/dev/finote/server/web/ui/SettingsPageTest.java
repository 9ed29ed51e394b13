package dev.finote.server.web.ui;

import dev.finote.server.support.Api;
import dev.finote.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.finote.server.web.ui.FinotePage.unique;
import static org.assertj.core.api.Assertions.assertThat;

/** Settings in a real browser: export, import, change password, delete the account. */
class SettingsPageTest extends PageTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PASSWORD = "plum-Orchard-42";

    SettingsPageTest(TestServer server) {
        super(server, PASSWORD);
    }

    private static List<String> titles(Api api) {
        Api.Response response = api.get("/api/notes");
        assertThat(response.status()).as("%s", response).isEqualTo(200);
        List<String> titles = new ArrayList<>();
        for (JsonNode note : response.json()) titles.add(note.get("title").stringValue());
        return titles;
    }

    private void openSettings() {
        browser.byId("open-settings").click();
        browser.visible("#settings-view");
        assertThat(browser.focused()).isEqualTo(browser.byId("settings-heading"));
        assertThat(browser.byId("settings-user").getText()).isEqualTo(browser.byId("whoami").getText());
    }

    private static int loginStatus(TestServer server, String name, String password) {
        return server.api().post("/api/auth/login", Api.json("username", name, "password", password)).status();
    }

    @Test
    void exportDownloadsEveryNoteAndImportBringsKeepNotesInOnce(@org.junit.jupiter.api.io.TempDir Path folder) throws IOException {
        String name = unique("export");
        Api api = newUser(name);
        assertThat(api.post("/api/notes", Api.json("title", "Exported", "content", "in the file")).status()).isEqualTo(201);
        page.login(name, PASSWORD);
        openSettings();

        // Export: the button downloads the file the server offers.
        Path downloads = Files.createDirectories(folder.resolve("downloads"));
        browser.driver().executeCdpCommand("Browser.setDownloadBehavior",
                Map.of("behavior", "allow", "downloadPath", downloads.toString()));
        browser.tabTo(browser.byId("export"), 5);
        browser.press(Keys.ENTER);
        Path exported = browser.until(d -> {
            try (Stream<Path> files = Files.list(downloads)) {
                return files.filter(f -> f.toString().endsWith(".json")).findFirst().orElse(null);
            } catch (IOException e) {
                return null;
            }
        });
        JsonNode export = JSON.readTree(Files.readString(exported));
        assertThat(export.get("format").stringValue()).isEqualTo("finote-export");
        assertThat(export.get("notes")).extracting(n -> n.get("title").stringValue()).containsExactly("Exported");

        // Import one Google Keep note: its checklist becomes checkbox lines, its label a tag.
        Path keep = folder.resolve("From Keep.json");
        Files.writeString(keep, """
                {"color":"YELLOW","isTrashed":false,"isPinned":false,"isArchived":false,"title":"From Keep",
                 "listContent":[{"text":"Milk","isChecked":false},{"text":"Bread","isChecked":true}],
                 "labels":[{"name":"groceries"}],"createdTimestampUsec":1700000000000000,"userEditedTimestampUsec":1700000100000000}""");
        browser.tabTo(browser.byId("import-file"), 3);
        browser.byId("import-file").sendKeys(keep.toString()); // what the file chooser would return
        browser.tabTo(browser.byId("import-submit"), 3);
        browser.press(Keys.ENTER);
        page.waitForMessage("#import-result", "Imported 1 note.");
        browser.screenshot("23-settings-imported");
        // The same file again imports nothing.
        browser.byId("import-file").sendKeys(keep.toString());
        browser.byId("import-submit").click();
        page.waitForMessage("#import-result", "Imported 0 notes; 1 was already there.");
        assertThat(titles(api)).containsExactlyInAnyOrder("Exported", "From Keep");

        // A file that is not an export is refused with a sentence, and nothing is imported.
        Path other = folder.resolve("notes.json");
        Files.writeString(other, "{\"hello\":\"world\"}");
        browser.byId("import-file").sendKeys(other.toString());
        browser.byId("import-submit").click();
        page.waitForMessage("#import-error", "That file is not a Finote export or a Google Keep export (a Takeout .zip or one note .json).");
        assertThat(titles(api)).hasSize(2);

        browser.byId("leave-settings").click();
        page.waitForList();
        WebElement card = page.card("From Keep");
        assertThat(card.findElements(By.cssSelector("label.task"))).extracting(WebElement::getText).containsExactly("Milk", "Bread");
        assertThat(FinotePage.tagsOf(card)).containsExactly("#groceries");
        assertThat(card.getDomAttribute("class")).contains("color-yellow");
        assertThat(browser.focused()).isEqualTo(browser.byId("open-settings"));
    }

    @Test
    void changeThePasswordWithTheKeyboard() {
        String name = unique("passwd");
        newUser(name);
        page.login(name, PASSWORD);
        browser.script("document.activeElement.blur()");
        browser.reload();
        page.waitForList();
        browser.tabTo(browser.byId("open-settings"), 5);
        browser.press(Keys.ENTER);
        browser.visible("#settings-view");

        // A wrong current password is named at its field.
        browser.tabTo(browser.byId("current-password"), 10);
        browser.press("not-my-password");
        browser.press(Keys.TAB);
        browser.press("Quince-Meadow-77");
        browser.press(Keys.ENTER);
        page.waitForMessage("#current-password-error", "That is not your current password.");
        assertThat(browser.focused()).isEqualTo(browser.byId("current-password"));
        assertThat(loginStatus(server, name, PASSWORD)).isEqualTo(200);

        // A new password the server refuses is explained at the new password.
        browser.press(PASSWORD);
        browser.press(Keys.TAB);
        browser.byId("new-password").clear();
        browser.byId("new-password").sendKeys("short", Keys.ENTER);
        page.waitForMessage("#new-password-error", "That password is too short (at least 8 characters).");
        assertThat(browser.byId("new-password").getDomAttribute("aria-invalid")).isEqualTo("true");
        browser.screenshot("24-settings-password-error");

        browser.byId("new-password").clear();
        browser.byId("new-password").sendKeys("Quince-Meadow-77", Keys.ENTER);
        page.waitForMessage("#banner", "Your password has been changed. Your other devices have been logged out.");
        assertThat(browser.byId("current-password").getDomProperty("value")).isEmpty();
        assertThat(browser.byId("new-password").getDomProperty("value")).isEmpty();
        assertThat(loginStatus(server, name, PASSWORD)).isEqualTo(401);
        assertThat(loginStatus(server, name, "Quince-Meadow-77")).isEqualTo(200);

        // This browser stays logged in.
        browser.reload();
        page.waitLoggedIn(name);
    }

    @Test
    void deleteTheAccountAfterConfirming() {
        String name = unique("goodbye");
        Api api = newUser(name);
        assertThat(api.post("/api/notes", Api.json("title", "Last note", "content", "gone with the account")).status()).isEqualTo(201);
        page.login(name, PASSWORD);
        openSettings();

        browser.byId("delete-account-form").findElement(By.cssSelector("button[type=submit]")).click();
        page.waitForMessage("#delete-password-error", "Enter your password to delete your account.");

        browser.type("#delete-password", "not-my-password");
        browser.byId("delete-account-form").findElement(By.cssSelector("button[type=submit]")).click();
        assertThat(browser.visible("#confirm").getText()).contains("Delete your account?", "“" + name + "” and all its notes");
        browser.byId("confirm-ok").click();
        page.waitForMessage("#delete-password-error", "Wrong password. Your account was not deleted.");
        assertThat(loginStatus(server, name, PASSWORD)).isEqualTo(200);

        // Cancel in the confirmation keeps everything.
        browser.type("#delete-password", PASSWORD);
        browser.byId("delete-account-form").findElement(By.cssSelector("button[type=submit]")).click();
        browser.visible("#confirm");
        browser.byId("confirm-cancel").click();
        browser.until(d -> !browser.byId("confirm").isDisplayed());
        assertThat(loginStatus(server, name, PASSWORD)).isEqualTo(200);

        browser.byId("delete-password").sendKeys(Keys.ENTER);
        browser.visible("#confirm");
        assertThat(browser.focused()).isEqualTo(browser.byId("confirm-cancel"));
        browser.screenshot("25-settings-delete-account");
        browser.press(Keys.TAB);
        browser.press(Keys.ENTER);
        page.waitForMessage("#banner", "Your account and all its notes have been deleted.");
        assertThat(browser.visible("#login-form").isDisplayed()).isTrue();
        assertThat(browser.byId("login-username").getDomProperty("value")).isEmpty();
        assertThat(loginStatus(server, name, PASSWORD)).isEqualTo(401);
        assertThat(api.get("/api/notes").status()).isEqualTo(401);
    }

    @Test
    void onAPhoneTheSettingsFit() {
        String name = unique("phoneset");
        newUser(name);
        browser.phone();
        browser.reload();
        page.login(name, PASSWORD);
        openSettings();
        assertThat(browser.script("return document.scrollingElement.scrollWidth <= window.innerWidth")).isEqualTo(true);
        for (String id : List.of("export", "import-file", "import-submit", "current-password", "new-password", "delete-password",
                "leave-settings", "logout")) {
            WebElement element = browser.byId(id);
            Object fits = browser.script("const r = arguments[0].getBoundingClientRect(); "
                    + "return r.width > 0 && r.left >= 0 && r.right <= window.innerWidth", element);
            assertThat(fits).as("%s fits the screen width", id).isEqualTo(true);
        }
        browser.screenshot("26-phone-settings");
    }
}
