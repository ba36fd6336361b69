package lenet.serve;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's headless Chromium driven through its ChromeDriver, both given by path: nothing is
 * downloaded at run time (Selenium Manager is not even on the class path). The flags keep
 * Chromium from calling home (background networking, component updates, sync, QUIC), which on a
 * closed network would only fail, and give it a fresh profile.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of(System.getProperty("lenet.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("lenet.chromedriver", "/usr/bin/chromedriver"));

    private static final ObjectMapper JSON = lenet.io.Json.MAPPER;

    final ChromeDriver driver;
    private final Path profile;

    static {
        // Selenium looks for DevTools bindings matching the browser's version and says so when it
        // has none; nothing here uses them.
        java.util.logging.Logger.getLogger("org.openqa.selenium").setLevel(Level.SEVERE);
    }

    /** Why the browser tests cannot run here, or null when they can; {@code -Dlenet.browser=false} leaves them out. */
    static String missing() {
        if ("false".equals(System.getProperty("lenet.browser"))) return "left out by -Dlenet.browser=false";
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            return "no " + (Files.isExecutable(CHROMIUM) ? CHROMEDRIVER : CHROMIUM) + ": install Debian's chromium and chromium-driver "
                    + "(apt-get install chromium chromium-driver; .ci/run does) to run the browser tests";
        }
        return null;
    }

    Browser(int width, int height) throws Exception {
        profile = Files.createTempDirectory("lenet-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--disable-default-apps", "--disable-extensions", "--no-default-browser-check", "--hide-scrollbars",
                "--force-device-scale-factor=1", "--window-size=" + width + "," + height, "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(new File(profile.toFile(), "chromedriver.log"))
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    }

    /** Everything the page wrote to the console so far (and clears it). */
    List<LogEntry> console() {
        return new ArrayList<>(driver.manage().logs().get(LogType.BROWSER).getAll());
    }

    /** The URL of every request the browser sent so far (from the DevTools network events in the performance log). */
    List<String> requests() {
        List<String> urls = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.PERFORMANCE).getAll()) {
            try {
                JsonNode m = JSON.readTree(e.getMessage()).path("message");
                if (m.path("method").asText().equals("Network.requestWillBeSent")) urls.add(m.path("params").path("request").path("url").asText());
            } catch (java.io.IOException bad) {
                throw new AssertionError("the performance log holds something that is not JSON: " + e.getMessage());
            }
        }
        return urls;
    }

    /** Runs a script in the page. */
    Object js(String script, Object... args) {
        return driver.executeScript(script, args);
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (Exception ignored) {
                // a temp folder
            }
        }
    }

    static Map<String, Object> map(Object o) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) o;
        return m;
    }
}
