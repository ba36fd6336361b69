package lenet.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import com.fasterxml.jackson.databind.node.ObjectNode;
import lenet.train.Checkpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.interactions.PointerInput;
import org.openqa.selenium.interactions.Sequence;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in a real browser (Debian's headless Chromium): digits drawn with pointer moves are read,
 * a clicked cell's arithmetic adds up to the cell, the playground and the runs and mistakes panels
 * work, no request leaves 127.0.0.1 and the console stays clean.
 *
 * <p>Deterministic: the model is a fixed checkpoint ({@link Fixture}), the strokes are fixed point
 * lists, and Chromium rasterises them the same way each time; the preprocessing and the network
 * then compute the same numbers. The digits are drawn plainly, as MNIST writes them, and the model
 * reads each with more than 90% (the test prints the probabilities).
 *
 * <p>{@code -Dlenet.screenshot=docs/serve.png} writes the README's screenshot; the figures (latency,
 * page weight) go to {@code target/serve-browser-figures.txt}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServeBrowserTest {
    @TempDir
    static Path tmp;

    private Server server;
    private Browser browser;
    private WebDriverWait wait;
    private String origin;
    private Path runs;
    private final StringWriter log = new StringWriter();
    private final List<String> figures = new ArrayList<>();
    private final List<double[]> latencies = new ArrayList<>();
    private final List<String> phases = new ArrayList<>();
    private final List<double[]> warm = new ArrayList<>();
    private long started;

    @BeforeAll
    void start() throws Exception {
        String missing = Browser.missing();
        if (missing != null) System.err.println("ServeBrowserTest skipped: " + missing);
        Assumptions.assumeTrue(missing == null, missing);
        started = System.nanoTime();
        runs = Fixture.runs(tmp, "20261201-090000");
        server = Fixture.server(Fixture.MODEL, runs, log);
        origin = server.address().toString().replaceAll("/$", "");
        browser = new Browser(1400, 1400);
        // The panels re-render as runs and events arrive: an element read while it is replaced is read again.
        wait = new WebDriverWait(browser.driver, Duration.ofSeconds(30));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    }

    @AfterAll
    void stop() throws Exception {
        if (browser != null) browser.close();
        if (server != null) server.close();
        if (started != 0) {
            figures.add(String.format(Locale.ROOT, "browser tests: %.1f s from starting the server and Chromium to the last check", (System.nanoTime() - started) / 1e9));
            Path out = Path.of("target", "serve-browser-figures.txt");
            Files.createDirectories(out.getParent());
            Files.write(out, figures, StandardCharsets.UTF_8);
            figures.forEach(System.out::println);
        }
    }

    private WebElement byTestId(String id) {
        return browser.driver.findElement(By.cssSelector("[data-testid='" + id + "']"));
    }

    /**
     * Scrolls {@code e} to the middle of the window (clear of the sticky header) and clicks it once the
     * page has stopped moving: the page scrolls smoothly (to a panel a button opens), and on a busy
     * machine that can still be under way when the click comes.
     */
    private void click(WebElement e) {
        for (int attempt = 1; ; attempt++) {
            browser.js("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", e);
            wait.until(d -> {
                Object before = browser.js("return arguments[0].getBoundingClientRect().top", e);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                }
                return before.equals(browser.js("return arguments[0].getBoundingClientRect().top", e));
            });
            try {
                e.click();
                return;
            } catch (org.openqa.selenium.ElementClickInterceptedException moved) {
                if (attempt == 3) throw moved;
            }
        }
    }

    @Test
    @Order(1)
    void thePageLoadsEverythingFromThisServer() {
        browser.driver.get(origin + "/");
        wait.until(d -> "true".equals(browser.js("return document.body.dataset.ready")));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> loaded = (List<Map<String, Object>>) browser.js(
                "return [performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')]"
                        + ".map(e => ({name: e.name, transfer: e.transferSize, body: e.decodedBodySize}))");
        long files = 0, filesTransfer = 0, api = 0;
        int fileCount = 0, apiCount = 0;
        for (Map<String, Object> e : loaded) {
            String name = (String) e.get("name");
            assertTrue(name.startsWith(origin + "/"), "loaded from elsewhere: " + name);
            long body = ((Number) e.get("body")).longValue();
            if (name.contains("/api/")) {
                api += body;
                apiCount++;
            } else {
                files += body;
                filesTransfer += ((Number) e.get("transfer")).longValue();
                fileCount++;
            }
        }
        figures.add(String.format(Locale.ROOT, "page weight: %,d bytes in %d files (HTML, CSS, JavaScript modules, icon; %,d bytes on the wire with headers) "
                + "and %,d bytes of JSON in %d API answers at load", files, fileCount, filesTransfer, api, apiCount));
        assertEquals(server.address().getPort(), (int) (long) (Long) browser.js("return Number(location.port)"));
        assertTrue(byTestId("model").getText().contains("LeNet-5 (sigmoid, avg pool)"), byTestId("model").getText());
    }

    // ---------------------------------------------------------------------------------------------
    // Drawing

    /** One stroke through {@code points} (canvas pixels of the 280x280 pad) with a pointer of {@code kind}. */
    private void stroke(PointerInput.Kind kind, int[][] points) {
        WebElement pad = byTestId("draw");
        PointerInput pen = new PointerInput(kind, kind.name().toLowerCase(Locale.ROOT));
        Sequence s = new Sequence(pen, 0);
        // Offsets are from the element's centre (140, 140).
        s.addAction(pen.createPointerMove(Duration.ZERO, PointerInput.Origin.fromElement(pad), points[0][0] - 140, points[0][1] - 140));
        s.addAction(pen.createPointerDown(PointerInput.MouseButton.LEFT.asArg()));
        for (int k = 1; k < points.length; k++) {
            s.addAction(pen.createPointerMove(Duration.ofMillis(8), PointerInput.Origin.fromElement(pad), points[k][0] - 140, points[k][1] - 140));
        }
        s.addAction(pen.createPointerUp(PointerInput.MouseButton.LEFT.asArg()));
        browser.driver.perform(List.of(s));
    }

    private static int[][] line(int x0, int y0, int x1, int y1, int steps) {
        int[][] p = new int[steps + 1][];
        for (int k = 0; k <= steps; k++) p[k] = new int[] {x0 + (x1 - x0) * k / steps, y0 + (y1 - y0) * k / steps};
        return p;
    }

    private static int[][] concat(int[][]... parts) {
        List<int[]> all = new ArrayList<>();
        for (int[][] part : parts) all.addAll(List.of(part));
        return all.toArray(new int[0][]);
    }

    private static int[][] ellipse(int cx, int cy, int rx, int ry, int steps) {
        int[][] p = new int[steps + 1][];
        for (int k = 0; k <= steps; k++) {
            double a = -Math.PI / 2 + 2 * Math.PI * k / steps;
            p[k] = new int[] {(int) Math.round(cx + rx * Math.cos(a)), (int) Math.round(cy + ry * Math.sin(a))};
        }
        return p;
    }

    /** Draws, waits for the answer, and returns the digit shown; records the latency (of the first three strokes). */
    private String drawAndRead(PointerInput.Kind kind, int[][] points) {
        int before = Integer.parseInt(byTestId("prediction").getAttribute("data-seq"));
        stroke(kind, points);
        wait.until(d -> Integer.parseInt(byTestId("prediction").getAttribute("data-seq")) > before);
        WebElement latency = byTestId("latency");
        if (latencies.size() == 3) return byTestId("prediction").getText().strip();
        latencies.add(new double[] {Double.parseDouble(latency.getAttribute("data-ms")), Double.parseDouble(latency.getAttribute("data-server-ms"))});
        phases.add(latency.getAttribute("data-phases"));
        return byTestId("prediction").getText().strip();
    }

    private String probabilities() {
        @SuppressWarnings("unchecked")
        List<String> p = (List<String>) browser.js("return [...document.querySelectorAll('[data-testid=probabilities] .pct')].map(e => e.dataset.value)");
        return String.join(" ", p.stream().map(v -> String.format(Locale.ROOT, "%.4f", Double.parseDouble(v))).toList());
    }

    private double probabilityOf(String digit) {
        return Double.parseDouble((String) browser.js("return document.querySelector(`[data-testid=probabilities] .pct[data-class='${arguments[0]}']`).dataset.value", digit));
    }

    @Test
    @Order(2)
    void digitsDrawnWithMousePenAndTouchAreRead() throws Exception {
        String one = drawAndRead(PointerInput.Kind.MOUSE, line(146, 45, 134, 235, 24));
        figures.add("drawn 1 (mouse): read " + one + "; probabilities " + probabilities());
        assertEquals("1", one);
        assertTrue(probabilityOf("1") > 0.9, probabilities());

        click(byTestId("clear"));
        assertEquals("\u2013", byTestId("prediction").getText().strip(), "Clear empties the answer");
        String zero = drawAndRead(PointerInput.Kind.PEN, ellipse(140, 140, 62, 92, 48));
        figures.add("drawn 0 (pen): read " + zero + "; probabilities " + probabilities());
        assertEquals("0", zero);
        assertTrue(probabilityOf("0") > 0.9, probabilities());

        click(byTestId("clear"));
        String seven = drawAndRead(PointerInput.Kind.TOUCH, concat(line(70, 55, 210, 55, 14), line(210, 55, 120, 240, 20)));
        figures.add("drawn 7 (touch): read " + seven + "; probabilities " + probabilities());
        assertEquals("7", seven);
        assertTrue(probabilityOf("7") > 0.9, probabilities());

        // A file chosen with the picker, and one dropped on the canvas, go the same way.
        int before = Integer.parseInt(byTestId("prediction").getAttribute("data-seq"));
        byTestId("file").sendKeys(Path.of("data/samples/chalk-9.png").toAbsolutePath().toString());
        wait.until(d -> Integer.parseInt(byTestId("prediction").getAttribute("data-seq")) > before);
        assertEquals("9", byTestId("prediction").getText().strip(), "a chosen file");
        assertFalse(byTestId("unsure").isDisplayed(), "predict is sure of the chalk 9");
        int next = before + 1;
        browser.js("const bytes = Uint8Array.from(atob(arguments[0]), c => c.charCodeAt(0));"
                + "const data = new DataTransfer(); data.items.add(new File([bytes], 'fine-pen-3.png', {type: 'image/png'}));"
                + "document.getElementById('runs-panel').dispatchEvent(new DragEvent('drop', {dataTransfer: data, bubbles: true, cancelable: true}));",
                java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of("data/samples/fine-pen-3.png"))));
        wait.until(d -> Integer.parseInt(byTestId("prediction").getAttribute("data-seq")) > next);
        assertEquals("3", byTestId("prediction").getText().strip(), "a file dropped elsewhere on the page");
        // lenet predict says of this file: unsure: low confidence (3 81.4%, 8 12.9%); so does the page.
        assertTrue(byTestId("unsure").isDisplayed() && byTestId("unsure").getText().contains("low confidence (3 81.4%, 8 12.9%)"),
                byTestId("unsure").getText());

        // Two digits side by side are both read, as predict reads them; the panels follow the first.
        click(byTestId("clear"));
        assertEquals("1", drawAndRead(PointerInput.Kind.MOUSE, line(70, 60, 66, 220, 16)));
        assertEquals("17", drawAndRead(PointerInput.Kind.MOUSE, concat(line(140, 60, 240, 60, 10), line(240, 60, 180, 220, 16))), "a 1, then a 7 beside it");
        String confidence = browser.driver.findElement(By.id("confidence")).getText();
        assertTrue(confidence.startsWith("2 digits found; the panels below follow the first, 1"), confidence);

        click(byTestId("clear"));
        assertEquals("7", drawAndRead(PointerInput.Kind.TOUCH, concat(line(70, 55, 210, 55, 14), line(210, 55, 120, 240, 20))), "the 7 again, for the next tests");

        // What the network saw: 28x28 drawn, non-blank.
        Number ink = (Number) browser.js("const c = document.querySelector('[data-testid=seen]').getContext('2d');"
                + "return c.getImageData(0, 0, 28, 28).data.filter((v, i) => i % 4 === 0 && v > 0).length");
        assertTrue(ink.intValue() > 40, "the 28x28 the network saw has ink: " + ink);
    }

    // ---------------------------------------------------------------------------------------------
    // The arithmetic

    /** Clicks cell (row, col) of a map canvas. */
    private void clickCell(String testId, int row, int col) {
        WebElement map = byTestId(testId);
        browser.js("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", map);
        int px = Integer.parseInt(map.getAttribute("data-cell"));
        int w = map.getSize().getWidth(), h = map.getSize().getHeight();
        new Actions(browser.driver).moveToElement(map, col * px + px / 2 - w / 2, row * px + px / 2 - h / 2).click().perform();
    }

    private double value(String testId) {
        return Double.parseDouble(byTestId(testId).getAttribute("data-value"));
    }

    /**
     * Waits for the explanation of {@code stage} at {@code what}, then checks that its parts add up:
     * the products (summed in the page, in the engine's order) give the sum exactly, sum + bias is
     * the value exactly, and the value after the activation, as float32, is the number the map
     * shows for the cell.
     */
    private void checkArithmetic(String heading, boolean conv) {
        try {
            wait.until(d -> byTestId("arithmetic").getText().contains(heading));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("no '" + heading + "' in the arithmetic panel: " + byTestId("arithmetic").getText(), e);
        }
        if (conv) {
            Object products = browser.js("let s = 0; for (const t of document.querySelectorAll('[data-testid=arithmetic] .channel')) {"
                    + " const grids = t.querySelectorAll('table.grid'); for (const td of grids[2].querySelectorAll('td')) s += Number(td.dataset.value); }"
                    + " return s;");
            assertEquals(value("explain-sum"), ((Number) products).doubleValue(), 0.0, "the products add up to the sum shown");
            assertEquals(value("explain-value"), value("explain-sum") + value("explain-bias"), 0.0, "sum + bias is the value shown");
        }
        assertEquals(byTestId("cell-value").getText(), byTestId("explain-final").getText(), "the value shown for the cell is the map's");
        assertEquals(value("cell-value"), value("explain-final"), 0.0);
        assertTrue(byTestId("arithmetic").getText().contains("\u2713 the same"), byTestId("arithmetic").getText());
    }

    @Test
    @Order(3)
    void aClickedCellsArithmeticAddsUpToTheCell() throws Exception {
        // conv1's corner: its 5x5 window hangs over the top and left edges, 16 of its cells zero padding.
        clickCell("map-conv1-0", 0, 0);
        checkArithmetic("output channel 0, row 0, column 0", true);
        assertEquals(16L, browser.js("return document.querySelectorAll('[data-testid=arithmetic] td.pad').length / 1"), "padding cells shown");
        assertTrue(byTestId("arithmetic").getText().contains("reads rows -2\u20132 and columns -2\u20132 of input"), byTestId("arithmetic").getText());

        clickCell("map-conv2-7", 4, 6); // six input channels
        checkArithmetic("output channel 7, row 4, column 6", true);
        assertEquals(6L, browser.js("return document.querySelectorAll('[data-testid=arithmetic] .channel').length / 1"));

        clickCell("map-pool1-3", 7, 7);
        checkArithmetic("channel 3, row 7, column 7", false);

        WebElement fc1 = byTestId("bars-fc1");
        browser.js("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", fc1);
        new Actions(browser.driver).moveToElement(fc1, 17 * 4 + 2 - fc1.getSize().getWidth() / 2, 0).click().perform();
        checkArithmetic("unit 17", false);
        assertTrue(byTestId("arithmetic").getText().contains("The 10 largest contributions"), byTestId("arithmetic").getText());

        // For the README: the 7, its layers, and a conv1 cell on the stroke.
        clickCell("map-conv1-1", 17, 13);
        checkArithmetic("output channel 1, row 17, column 13", true);
        browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(1400, 1750));
        browser.js("window.scrollTo({top: 0, behavior: 'instant'})");
        Thread.sleep(500);
        byte[] png = browser.driver.getScreenshotAs(OutputType.BYTES);
        browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(1400, 1400));
        Files.write(Path.of("target", "serve.png"), png);
        String to = System.getProperty("lenet.screenshot");
        if (to != null && !to.isBlank()) Files.write(Path.of(to), png);
    }

    // ---------------------------------------------------------------------------------------------
    // Playground, runs, mistakes

    @Test
    @Order(4)
    void thePlaygroundRunsD2lsExamples() {
        List<WebElement> verdicts = browser.driver.findElements(By.cssSelector("[data-testid^='verdict-']"));
        assertEquals(Playground.EXAMPLES.size(), verdicts.size());
        for (WebElement v : verdicts) assertEquals("\u2713 same", v.getText(), v.getAttribute("data-testid"));
        assertTrue(byTestId("pg-sizes").getText().contains("height: \u230a(3 + 2\u00d70 \u2212 2) / 1\u230b + 1 = 2"), byTestId("pg-sizes").getText());
        assertTrue(byTestId("pg-arithmetic").getText().contains("19"), "the first cell of d2l's example: 19");

        WebElement example = byTestId("example-max3p1s2");
        click(example.findElement(By.tagName("button")));
        wait.until(d -> byTestId("pg-sizes").getText().contains("height: \u230a(4 + 2\u00d71 \u2212 3) / 2\u230b + 1 = 2"));
        click(browser.driver.findElement(By.id("pg-next")));
        wait.until(d -> byTestId("pg-arithmetic").getText().contains("row 0, column 1"));
        assertTrue(byTestId("pg-arithmetic").getText().contains("the largest value of the window = 7"), byTestId("pg-arithmetic").getText());
    }

    @Test
    @Order(5)
    void theRunsPanelShowsRunsAndFollowsOneBeingTrained() throws Exception {
        WebElement row = byTestId("run-20261201-090000");
        assertTrue(row.getText().contains("finished") && row.getText().contains("4/4"), row.getText());
        assertTrue(byTestId("settings").getText().contains("batch_size"), "one run ticked: its settings");
        Number painted = (Number) browser.js("const c = document.querySelector('[data-testid=chart-accuracy]');"
                + "return c.getContext('2d').getImageData(0, 0, c.width, c.height).data.filter((v, i) => i % 4 === 3 && v > 0).length");
        assertTrue(painted.intValue() > 2000, "the accuracy chart is drawn: " + painted);

        // A run starts: config.json, then progress.json within its first epoch; the page follows by itself.
        Path live = runs.resolve("20261201-100000");
        Files.createDirectories(live);
        Files.writeString(live.resolve("config.json"), Files.readString(Fixture.RUN.resolve("config.json")).replace("\"lr\" : 0.5", "\"lr\" : 0.3"));
        Files.writeString(live.resolve("progress.json"), "{\"epoch\": 1, \"epochs\": 4, \"images\": 15360, \"total\": 60000, \"train_loss\": 0.9, \"train_accuracy\": 0.7, \"seconds\": 3.1}\n");
        wait.until(d -> browser.driver.findElements(By.cssSelector("[data-testid='progress-20261201-100000']")).size() == 1);
        wait.until(d -> byTestId("progress-20261201-100000").getText().contains("epoch 1: 26%"));

        // Tick both: the settings that differ are the learning rate.
        click(byTestId("run-20261201-100000").findElement(By.cssSelector("input[type=checkbox]")));
        wait.until(d -> byTestId("settings").getText().contains("Settings that differ"));
        wait.until(d -> byTestId("settings").getText().contains("lr 0.5 0.3"));

        // Its first epoch ends: metrics and a checkpoint appear, and the row shows them.
        Files.copy(Fixture.RUN.resolve("metrics.csv"), live.resolve("metrics.csv"));
        Files.writeString(live.resolve("metrics.jsonl"), Files.readAllLines(Fixture.RUN.resolve("metrics.jsonl")).get(0) + "\n");
        Checkpoint.Contents fixture = Checkpoint.load(Fixture.MODEL);
        ObjectNode meta = fixture.meta().deepCopy();
        meta.remove(List.of("format", "format_version", "arrays_sha256"));
        meta.put("epoch", 1).put("status", "training");
        Checkpoint.save(live.resolve("last.npz"), fixture.arrays(), fixture.optimizerState(), meta);
        Files.writeString(live.resolve("progress.json"), "{\"epoch\": 2, \"epochs\": 4, \"images\": 30720, \"total\": 60000, \"train_loss\": 0.3, \"train_accuracy\": 0.9, \"seconds\": 5.0}\n");
        wait.until(d -> byTestId("progress-20261201-100000").getText().contains("epoch 2: 51%"));
    }

    @Test
    @Order(6)
    void aMistakeClickedIsReadAsIfDrawn() {
        Assumptions.assumeTrue(Files.isDirectory(Fixture.DATA.resolve("mnist")), "no data/mnist: scripts/fetch-data.sh mnist fetches it");
        browser.js("document.getElementById('mistakes-panel').scrollIntoView({behavior: 'instant'})");
        wait.until(d -> !browser.driver.findElements(By.cssSelector("[data-testid^='mistake-']")).isEmpty());
        WebElement first = browser.driver.findElements(By.cssSelector("[data-testid^='mistake-']")).get(0);
        String predicted = first.getAttribute("data-predicted");
        int before = Integer.parseInt(byTestId("prediction").getAttribute("data-seq"));
        click(first);
        wait.until(d -> Integer.parseInt(byTestId("prediction").getAttribute("data-seq")) > before);
        assertEquals(predicted, byTestId("prediction").getText().strip(), "the page reads the image as the mistakes list says");
        assertTrue(byTestId("seen").isDisplayed());
    }

    @Test
    @Order(7)
    void tenMoreSevensForTheLatencyOnceTheServerIsWarm() {
        browser.js("document.getElementById('draw-panel').scrollIntoView({behavior: 'instant'})");
        for (int i = 0; i < 10; i++) {
            click(byTestId("clear"));
            int before = Integer.parseInt(byTestId("prediction").getAttribute("data-seq"));
            stroke(PointerInput.Kind.MOUSE, concat(line(70, 55, 210, 55, 14), line(210, 55, 120, 240, 20)));
            wait.until(d -> Integer.parseInt(byTestId("prediction").getAttribute("data-seq")) > before);
            assertEquals("7", byTestId("prediction").getText().strip());
            WebElement latency = byTestId("latency");
            warm.add(new double[] {Double.parseDouble(latency.getAttribute("data-ms")), Double.parseDouble(latency.getAttribute("data-server-ms"))});
        }
    }

    @Test
    @Order(8)
    void noRequestLeftThisMachineAndTheConsoleHasNoErrors() {
        List<String> elsewhere = new ArrayList<>();
        List<String> requests = browser.requests();
        for (String url : requests) {
            boolean network = url.startsWith("http:") || url.startsWith("https:") || url.startsWith("ws:") || url.startsWith("wss:");
            if (network && !url.startsWith(origin + "/")) elsewhere.add(url);
        }
        assertTrue(requests.stream().anyMatch(u -> u.startsWith(origin + "/api/predict")), "the performance log sees the page's requests: " + requests);
        assertEquals(List.of(), elsewhere, "requests that left 127.0.0.1");
        List<String> problems = new ArrayList<>();
        for (LogEntry e : browser.console()) if (e.getLevel().intValue() >= Level.WARNING.intValue()) problems.add(e.getLevel() + " " + e.getMessage());
        assertEquals(List.of(), problems, "console warnings and errors");
        assertFalse(log.toString().contains("failed"), "the server logged a failure: " + log);

        String whole = System.getProperty("lenet.fullpage");
        if (whole != null && !whole.isBlank()) { // the whole page, to look at every panel
            long height = (Long) browser.js("return document.documentElement.scrollHeight");
            browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(1400, (int) height));
            try {
                Thread.sleep(500);
                Files.write(Path.of(whole), browser.driver.getScreenshotAs(OutputType.BYTES));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }

        double[] ms = latencies.stream().mapToDouble(l -> l[0]).sorted().toArray();
        double[] server = latencies.stream().mapToDouble(l -> l[1]).sorted().toArray();
        figures.add(String.format(Locale.ROOT, "stroke end to answer on screen: %s ms in the browser (median %.0f); the server's part %s ms",
                fmt(ms), ms[ms.length / 2], fmt(server)));
        if (!warm.isEmpty()) {
            double[] w = warm.stream().mapToDouble(l -> l[0]).sorted().toArray();
            double[] ws = warm.stream().mapToDouble(l -> l[1]).sorted().toArray();
            figures.add(String.format(Locale.ROOT, "  ten more 7s, the server warm: median %.0f ms in the browser (%.0f-%.0f), the server's part median %.1f ms (%.1f-%.1f)",
                    w[w.length / 2], w[0], w[w.length - 1], ws[ws.length / 2], ws[0], ws[ws.length - 1]));
        }
        figures.add("  phases in ms, stroke by stroke (PNG from the canvas, request and answer, building the panels, until painted): " + String.join(" ", phases));
    }

    private static String fmt(double[] v) {
        StringBuilder s = new StringBuilder();
        for (double d : v) s.append(s.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.1f", d));
        return s.toString();
    }
}
