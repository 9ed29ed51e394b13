package dev.finote.server.web.ui;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Without Chromium the browser tests fail (never skip), saying what to install. */
class BrowserTest {

    @Test
    void aMissingChromiumFailsWithWhatToInstall() {
        assertThatThrownBy(() -> Browser.start("http://localhost:1", Path.of("/nonexistent/chromium"), Browser.CHROMEDRIVER))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("/nonexistent/chromium is missing")
                .hasMessageContaining("apt-get install chromium chromium-driver");
        assertThatThrownBy(() -> Browser.start("http://localhost:1", Browser.CHROMIUM, Path.of("/nonexistent/chromedriver")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("/nonexistent/chromedriver is missing");
    }
}
