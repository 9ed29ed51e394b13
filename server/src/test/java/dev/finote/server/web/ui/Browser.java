package dev.finote.server.web.ui;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Level;

/**
 * One headless Chromium (Debian's {@code chromium} and {@code chromium-driver} packages),
 * driven by Selenium against the test server. A test class shares one browser; each test
 * starts from {@link #open} with no cookies.
 */
public final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Duration WAIT = Duration.ofSeconds(10);

    private final ChromeDriver driver;
    private final String baseUrl;
    private final Path userDataDir;

    private Browser(ChromeDriver driver, String baseUrl, Path userDataDir) {
        this.driver = driver;
        this.baseUrl = baseUrl;
        this.userDataDir = userDataDir;
    }

    /** Starts Chromium; fails (never skips) when the Debian packages are missing: CI installs them. */
    public static Browser start(String baseUrl) {
        return start(baseUrl, CHROMIUM, CHROMEDRIVER);
    }

    static Browser start(String baseUrl, Path chromium, Path chromedriver) {
        for (Path binary : List.of(chromium, chromedriver)) {
            if (!Files.isExecutable(binary)) {
                throw new AssertionError(binary + " is missing: the web app's browser tests need Debian's chromium and "
                        + "chromium-driver packages. Install them with `sudo apt-get install chromium chromium-driver` "
                        + "(.ci/run does this) and run the tests again.");
            }
        }
        // Point Selenium at the installed driver so Selenium Manager never tries to download one.
        System.setProperty("webdriver.chrome.driver", chromedriver.toString());
        try {
            Path profile = Files.createTempDirectory("finote-chromium-");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(chromium.toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--disable-default-apps", "--disable-extensions", "--lang=en-US",
                    "--window-size=1280,900", "--user-data-dir=" + profile);
            // Keep the page's console, so tests can fail on script errors and CSP violations.
            options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(chromedriver.toFile()).usingAnyFreePort().build();
            return new Browser(new ChromeDriver(service, options), baseUrl, profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** Opens the app as a new visitor (no cookies, desktop size) and waits until it has started. */
    public void open() {
        driver.get(baseUrl + "/healthz"); // same origin, so its cookies can be cleared before the app loads
        driver.manage().deleteAllCookies();
        desktop();
        reload();
    }

    /** Loads the page again, keeping cookies, and waits until the app has started. */
    public void reload() {
        driver.get(baseUrl + "/");
        until(d -> "true".equals(script("return document.documentElement.dataset.ready")));
    }

    public void desktop() {
        driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }

    /** A desktop viewport of the given size in CSS pixels. */
    public void viewport(int width, int height) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
    }

    /** A phone-sized viewport (an iPhone 12–15: 390×844 CSS pixels), with touch and mobile layout. */
    public void phone() {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", 390, "height", 844, "deviceScaleFactor", 2, "mobile", true));
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    public WebElement byId(String id) {
        return driver.findElement(By.id(id));
    }

    /** The visible element matching {@code css}, once there is one. */
    public WebElement visible(String css) {
        return until(d -> d.findElements(By.cssSelector(css)).stream().filter(WebElement::isDisplayed).findFirst().orElse(null));
    }

    public <T> T until(ExpectedCondition<T> condition) {
        // Polls often (the app answers in milliseconds) and retries when a re-render replaced an element.
        return new WebDriverWait(driver, WAIT, Duration.ofMillis(25))
                .ignoring(StaleElementReferenceException.class).until(condition);
    }

    /** Waits until the element's text is exactly {@code text}. */
    public void untilText(String css, String text) {
        until(d -> {
            List<WebElement> found = d.findElements(By.cssSelector(css));
            return !found.isEmpty() && found.getFirst().isDisplayed() && text.equals(found.getFirst().getText());
        });
    }

    public Object script(String javascript, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(javascript, arguments);
    }

    public void type(String css, String text) {
        WebElement input = find(css);
        input.clear();
        input.sendKeys(text);
    }

    public WebElement focused() {
        return driver.switchTo().activeElement();
    }

    /** Keys sent to whatever has focus, like a person at a keyboard. */
    public void press(CharSequence... keys) {
        new Actions(driver).sendKeys(keys).perform();
    }

    /**
     * Presses Tab (at most {@code limit} times) until {@code target} has focus; fails if the
     * keyboard cannot reach it.
     */
    public void tabTo(WebElement target, int limit) {
        for (int i = 0; i < limit; i++) {
            if (target.equals(focused())) return;
            press(Keys.TAB);
        }
        if (!target.equals(focused())) {
            throw new AssertionError("Tab did not reach " + describe(target) + " within " + limit + " presses; focus is on "
                    + describe(focused()));
        }
    }

    private String describe(WebElement element) {
        return Objects.toString(script("const e = arguments[0]; return e.outerHTML.slice(0, 160)", element));
    }

    /**
     * Errors the page logged since the last call: uncaught exceptions, CSP and Trusted Types
     * violations. Chromium also logs every 4xx answer to fetch ("Failed to load resource"),
     * which the app expects and explains itself, so those are left out.
     */
    public List<String> pageErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .filter(message -> !message.contains("Failed to load resource: the server responded with a status of 4"))
                .toList();
    }

    /** Saves a PNG of the viewport as target/screenshots/{name}.png. */
    public Path screenshot(String name) {
        try {
            Path directory = Path.of(System.getProperty("basedir", ".")).resolve("target/screenshots");
            Files.createDirectories(directory);
            Path file = directory.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(userDataDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                // a leftover temporary profile is harmless
            }
        }
    }
}
