package lenet.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import lenet.LenetException;
import lenet.image.Preprocessing;
import lenet.train.Checkpoint;
import lenet.app.Models;
import lenet.model.Outputs;
import lenet.train.Predictor;
import lenet.train.Reading;
import lenet.image.Page;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every endpoint of {@code lenet serve} over real HTTP: the answers, the errors and their statuses,
 * the body limits, the Host and Origin checks, traversal attempts, run folders left untouched, and
 * 50 predictions at once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerTest {
    private static final ObjectMapper JSON = lenet.io.Json.MAPPER;
    /** lenet predict's classifier of the fixture's model, to compare the server's answers with. */
    private static final Predictor PREDICTOR = predictor();
    private static final String RUN = "20261201-090000";

    @TempDir
    static Path tmp;

    private Server server;
    private int port;
    private Path runs;
    private final StringWriter log = new StringWriter();

    @BeforeAll
    void start() throws IOException {
        runs = Fixture.runs(tmp, RUN);
        server = Fixture.server(null, runs, log); // no --model: the newest finished run, the fixture
        port = server.address().getPort();
    }

    @AfterAll
    void stop() {
        if (server != null) server.close();
    }

    private static JsonNode json(Raw.Answer a) throws IOException {
        return JSON.readTree(a.body());
    }

    /** An error answer: the status, and one line of JSON {"error": "..."} in words. */
    private static String error(Raw.Answer a, int status) throws IOException {
        assertEquals(status, a.status(), a.text());
        assertTrue(a.header("content-type").startsWith("application/json"), a.header("content-type"));
        JsonNode n = json(a);
        assertEquals(1, n.size(), a.text());
        String message = n.path("error").asText();
        assertFalse(message.isBlank() || message.contains("\n") || message.matches(".*\\b[A-Z][a-z]+(Exception|Error)\\b.*"), message);
        return message;
    }

    private static byte[] bytes(Path p) throws IOException {
        return Files.readAllBytes(p);
    }

    private Raw.Answer predict(byte[] image, String... extra) throws IOException {
        return Raw.request(port, "POST", "/api/predict", "image/png", image, extra);
    }

    private static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** MNIST test image {@code i} as an 8-bit grey PNG (null when data/mnist is absent). */
    private static byte[] mnistPng(int i) throws IOException {
        Path dir = Fixture.DATA.resolve("mnist");
        if (!Files.isDirectory(dir)) return null;
        var test = lenet.data.Dataset.loadSplit(dir, "test");
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        byte[] px = new byte[784];
        System.arraycopy(test.pixels(), i * 784, px, 0, 784);
        image.getRaster().setDataElements(0, 0, 28, 28, px);
        return png(image);
    }

    /** The sample images of data/samples and, when the data is there, some MNIST test images as PNG. */
    private List<byte[]> images(int mnist) throws IOException {
        List<byte[]> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("data", "samples"))) {
            for (Path f : files.sorted().filter(f -> !f.toString().endsWith(".md")).toList()) out.add(bytes(f));
        }
        for (int i = 0; i < mnist; i++) {
            byte[] p = mnistPng(i);
            if (p != null) out.add(p);
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------
    // Static files

    @Test
    void thePageAndItsFilesAreServedWithSafetyHeaders() throws IOException {
        Raw.Answer page = Raw.get(port, "/");
        assertEquals(200, page.status());
        assertTrue(page.header("content-type").startsWith("text/html"), page.header("content-type"));
        assertTrue(page.text().contains("data-testid=\"draw\"") && page.text().contains("data-testid=\"probabilities\""));
        assertTrue(page.header("content-security-policy").contains("default-src 'none'") && page.header("content-security-policy").contains("connect-src 'self'"));
        assertEquals("nosniff", page.header("x-content-type-options"));
        assertEquals("DENY", page.header("x-frame-options"));
        for (String path : new Web().paths()) {
            Raw.Answer a = Raw.get(port, path);
            assertEquals(200, a.status(), path);
            assertTrue(a.body().length > 0, path);
            if (path.endsWith(".js")) assertTrue(a.header("content-type").startsWith("text/javascript"), path);
            // nothing from elsewhere: no URL with a host in any file the page loads
            assertFalse(a.text().matches("(?s).*(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}/.*") && !path.equals("/favicon.svg"), path + " names another host");
        }
        Raw.Answer head = Raw.request(port, "HEAD", "/", null, null);
        assertEquals(200, head.status());
        assertEquals(0, head.body().length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/../pom.xml", "/%2e%2e/pom.xml", "/js/../../pom.xml", "/js/%2e%2e/%2e%2e/pom.xml", "/js/..%2f..%2fpom.xml",
        "//etc/passwd", "/index.html", "/lenet/serve/web/index.html", "/js/main.js/", "/js/main.js%00.html", "/js\\..\\..\\pom.xml",
        "/./style.css", "/js/", "/api/../pom.xml", "/WEB-INF/web.xml", "/META-INF/MANIFEST.MF", "/lenet/serve/Server.class",
        "/api/runs/..", "/api/runs/%2e%2e", "/api/runs/..%2f..%2fpom.xml", "/api/runs/" + RUN + "/../../../pom.xml", "/api/runs/" + RUN + "%2flast.npz",
        "/api/runs/%2fetc%2fpasswd", "/api/nothing"})
    void pathsOutsideTheListFindNothing(String path) throws IOException {
        Raw.Answer a = Raw.get(port, path);
        // A path that is not a valid URI (the backslashes) is refused by the JDK's server itself, with 400.
        if (a.status() == 400) assertTrue(path.contains("\\"), path);
        else error(a, 404);
        assertFalse(a.text().contains("<project") || a.text().contains("root:") || a.text().contains("Manifest"), a.text());
    }

    @Test
    void wrongMethodsAreRefusedWithTheAllowedOnes() throws IOException {
        Raw.Answer a = Raw.get(port, "/api/predict");
        error(a, 405);
        assertEquals("POST", a.header("allow"));
        error(Raw.request(port, "DELETE", "/", null, null), 405);
        error(Raw.request(port, "PUT", "/api/model", "application/json", "{}".getBytes()), 405);
    }

    // ---------------------------------------------------------------------------------------------
    // Host and Origin

    @ParameterizedTest
    @ValueSource(strings = {"evil.example:PORT", "evil.example", "127.0.0.1:1", "127.0.0.1", "localhost.evil.example:PORT", "127.0.0.1.nip.io:PORT",
        "[::2]:PORT", "0.0.0.0:PORT", "10.0.0.1:PORT", " ", "127.0.0.1:PORT.evil.example"})
    void aHostThatIsNotThisServersIsRefused(String host) throws IOException {
        String h = host.replace("PORT", Integer.toString(port));
        for (String[] r : new String[][] {{"GET", "/"}, {"GET", "/api/model"}, {"GET", "/api/runs"}, {"POST", "/api/predict"}}) {
            Raw.Answer a = Raw.send(port, r[0] + " " + r[1] + " HTTP/1.1\r\nHost: " + h + "\r\nContent-Type: image/png",
                    r[0].equals("POST") ? bytes(Path.of("data/samples/chalk-9.png")) : null);
            assertTrue(error(a, 403).contains("not this server's address") || h.isBlank(), a.text());
        }
    }

    @Test
    void theServersOwnNamesAreAccepted() throws IOException {
        for (String h : new String[] {"127.0.0.1:" + port, "localhost:" + port, "LOCALHOST:" + port, "[::1]:" + port}) {
            assertEquals(200, Raw.send(port, "GET / HTTP/1.1\r\nHost: " + h, null).status(), h);
        }
        error(Raw.send(port, "GET / HTTP/1.1", null), 403); // no Host at all
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://evil.example", "null", "http://127.0.0.1:1", "https://127.0.0.1:PORT", "http://localhost.evil.example:PORT", "file://"})
    void aForeignOriginIsRefusedWhateverTheRequest(String origin) throws IOException {
        String o = "Origin: " + origin.replace("PORT", Integer.toString(port));
        error(predict(bytes(Path.of("data/samples/chalk-9.png")), o), 403);
        error(Raw.postJson(port, "/api/model", "{\"run\": \"" + RUN + "\", \"checkpoint\": \"last.npz\"}", o), 403);
        error(Raw.postJson(port, "/api/explain", "{}", o), 403);
        error(Raw.postJson(port, "/api/conv", "{}", o), 403);
        error(Raw.get(port, "/api/runs", o), 403);
        error(Raw.get(port, "/api/events", o), 403);
    }

    @Test
    void theServersOwnOriginAndSameSiteFetchesPass() throws IOException {
        assertEquals(200, predict(bytes(Path.of("data/samples/chalk-9.png")), "Origin: http://127.0.0.1:" + port, "Sec-Fetch-Site: same-origin").status());
        assertEquals(200, Raw.get(port, "/", "Sec-Fetch-Site: cross-site", "Sec-Fetch-Mode: navigate").status(), "a link from elsewhere may open the page");
        error(Raw.get(port, "/api/model", "Sec-Fetch-Site: cross-site", "Sec-Fetch-Mode: cors"), 403);
        error(Raw.get(port, "/api/test-image?index=0", "Sec-Fetch-Site: cross-site", "Sec-Fetch-Mode: no-cors"), 403);
    }

    // ---------------------------------------------------------------------------------------------
    // /api/predict

    @Test
    void predictAnswersWhatLenetPredictAnswers() throws Exception {
        String model = json(Raw.get(port, "/api/model")).path("file").asText();
        int n = 0;
        for (byte[] image : images(30)) {
            Raw.Answer a = predict(image);
            assertEquals(200, a.status(), a.text());
            JsonNode j = json(a);
            // lenet predict on the same bytes as a file
            Path f = Files.write(tmp.resolve("image-" + n++), image);
            Reading[] read = new Reading[1];
            PREDICTOR.predictFiles(List.of(f), Page.Options.defaults(), x -> Page.Trace.NONE, x -> read[0] = x);
            assertTrue(read[0].ok(), read[0].error());
            Reading.DigitAnswer expected = read[0].digits().get(0);
            assertEquals(expected.digit(), j.path("digit").asInt());
            float[] p = new float[10];
            for (int k = 0; k < 10; k++) p[k] = (float) j.path("probabilities").get(k).asDouble();
            assertArrayEquals(expected.probabilities(), p, "the same numbers as lenet predict");
            byte[] seen = new byte[784];
            for (int k = 0; k < 784; k++) seen[k] = (byte) j.path("seen").get(k).asInt();
            assertArrayEquals(expected.found().pixels(), seen);
            StringBuilder digits = new StringBuilder();
            for (JsonNode d : j.path("digits")) digits.append(d.asText());
            assertEquals(read[0].text(), digits.toString(), "every digit predict finds");
            assertEquals(read[0].unsure() == null ? "null" : read[0].unsure(), j.path("unsure").asText());
            assertEquals(expected.distance(), j.path("familiarity").path("distance").asDouble(), 1e-9, "judged as lenet predict judges");
            assertEquals(expected.limit(), j.path("familiarity").path("limit").asDouble(), 1e-9);
            assertEquals(String.valueOf(j.path("digit").asInt()), j.path("class").asText());
            assertEquals(model, j.path("model").asText());
            assertNull(j.get("stages"), "no trace unless asked");
        }
        assertTrue(n >= 8);
    }

    @Test
    void theSamplesAndMnistTestImagesAreReadRight() throws IOException {
        // data/samples' names end in their digit; the fixture reads them all.
        try (Stream<Path> files = Files.list(Path.of("data", "samples"))) {
            for (Path f : files.filter(f -> !f.toString().endsWith(".md")).toList()) {
                String name = f.getFileName().toString();
                int digit = name.charAt(name.lastIndexOf('.') - 1) - '0';
                assertEquals(digit, json(predict(bytes(f))).path("digit").asInt(), name);
            }
        }
    }

    @Test
    void withTraceEveryStageComesWithItsNameShapeAndValues() throws IOException {
        JsonNode j = json(Raw.request(port, "POST", "/api/predict?trace=1", "image/png", bytes(Path.of("data/samples/chalk-9.png"))));
        JsonNode stages = j.path("stages");
        List<String> names = new ArrayList<>();
        for (JsonNode s : stages) {
            names.add(s.path("name").asText());
            int size = 1;
            for (JsonNode d : s.path("shape")) size *= d.asInt();
            assertEquals(size, s.path("values").size(), s.path("name").asText());
        }
        assertEquals(List.of("conv1", "act1", "pool1", "conv2", "act2", "pool2", "flatten", "fc1", "act3", "fc2", "act4", "fc3"), names);
        assertEquals("conv", stages.get(0).path("kind").asText());
        assertEquals("sigmoid", stages.get(1).path("kind").asText());
        assertEquals("avg_pool", stages.get(2).path("kind").asText());
        assertEquals("Conv2d(1->6, 5x5, pad 2)", stages.get(0).path("layer").asText());
        // The reference engine's logits, through softmax, are predict's probabilities to float rounding.
        JsonNode logits = stages.get(11).path("values");
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (JsonNode v : logits) max = Math.max(max, v.asDouble());
        for (JsonNode v : logits) sum += Math.exp(v.asDouble() - max);
        for (int k = 0; k < 10; k++) {
            assertEquals(j.path("probabilities").get(k).asDouble(), Math.exp(logits.get(k).asDouble() - max) / sum, 2e-6);
        }
    }

    @Test
    void predictRefusesWhatIsNotAnImageInWords() throws IOException {
        byte[] png = bytes(Path.of("data/samples/chalk-9.png"));
        assertTrue(error(Raw.request(port, "POST", "/api/predict", "text/plain", png), 415).contains("Content-Type image/png"));
        error(Raw.request(port, "POST", "/api/predict", null, png), 415);
        error(Raw.request(port, "POST", "/api/predict", "application/octet-stream", png), 415);
        assertTrue(error(predict("just some text, not a picture".getBytes(StandardCharsets.UTF_8)), 415).contains("not an image format"));
        error(Raw.request(port, "POST", "/api/predict", "image/svg+xml", "<svg xmlns='http://www.w3.org/2000/svg'/>".getBytes()), 415);
        assertTrue(error(predict(new byte[0]), 400).contains("no image"));
        assertTrue(error(predict(bytes(Path.of("src/test/resources/bad/image/truncated.png"))), 400).contains("damaged"));
        assertTrue(error(predict(bytes(Path.of("src/test/resources/bad/image/bad-crc.png"))), 400).startsWith("the image: "));
        BufferedImage blank = new BufferedImage(100, 100, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 100; y++) for (int x = 0; x < 100; x++) blank.setRGB(x, y, 0xFFFFFF);
        assertTrue(error(predict(png(blank)), 400).contains("no digit"));
    }

    @Test
    void anImageOverThePixelLimitIsRefusedBeforeDecoding() throws IOException {
        long t = System.nanoTime();
        String m = error(predict(bytes(Path.of("src/test/resources/bad/image/claims-100000x100000.png"))), 413);
        assertTrue(m.contains("40-megapixel limit"), m);
        assertTrue((System.nanoTime() - t) / 1e9 < 20, "refused from the header, not after decoding 40 GB");
    }

    @Test
    void aBodyOverTheCapGets413WhetherItsLengthIsDeclaredOrNot() throws IOException {
        byte[] big = new byte[(int) Limits.IMAGE_BODY + 1];
        System.arraycopy(bytes(Path.of("data/samples/chalk-9.png")), 0, big, 0, 100);
        assertTrue(error(predict(big), 413).contains("10 MiB"));
        // A Content-Length that claims a gigabyte is refused from the header, before any of it is read.
        Raw.Answer lie = Raw.send(port, "POST /api/predict HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: image/png\r\nContent-Length: 1073741824", new byte[10]);
        error(lie, 413);
        // Chunked, no length: refused once more than the cap has arrived.
        ByteArrayOutputStream chunked = new ByteArrayOutputStream();
        byte[] chunk = new byte[1 << 20];
        for (int i = 0; i < 11; i++) {
            chunked.write((Integer.toHexString(chunk.length) + "\r\n").getBytes());
            chunked.write(chunk);
            chunked.write("\r\n".getBytes());
        }
        chunked.write("0\r\n\r\n".getBytes());
        error(Raw.send(port, "POST /api/predict HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: image/png\r\nTransfer-Encoding: chunked", chunked.toByteArray()), 413);
        // JSON requests have their own, smaller cap.
        String huge = "{\"pixels\": [" + "0,".repeat(200_000) + "0], \"stage\": \"conv1\", \"index\": [0, 0, 0]}";
        assertTrue(error(Raw.postJson(port, "/api/explain", huge), 413).contains("256 KiB"));
        // The server is still there.
        assertEquals(200, predict(bytes(Path.of("data/samples/chalk-9.png"))).status());
    }

    @Test
    void fiftyPredictionsAtOnceAllAnswerAsTheyDoOneByOne() throws Exception {
        List<byte[]> images = images(42);
        List<byte[]> fifty = new ArrayList<>();
        for (int i = 0; i < 50; i++) fifty.add(images.get(i % images.size()));
        List<String> sequential = new ArrayList<>();
        for (byte[] image : fifty) sequential.add(answerOf(Raw.request(port, "POST", "/api/predict?trace=1", "image/png", image)));
        ExecutorService clients = Executors.newFixedThreadPool(50);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> answers = new ArrayList<>();
            for (byte[] image : fifty) {
                answers.add(clients.submit(() -> {
                    go.await();
                    return answerOf(Raw.request(port, "POST", "/api/predict?trace=1", "image/png", image));
                }));
            }
            go.countDown();
            for (int i = 0; i < 50; i++) assertEquals(sequential.get(i), answers.get(i).get(), "request " + i);
        } finally {
            clients.shutdownNow();
        }
    }

    /** The answer without its timing: digit, probabilities, what was seen and every stage's values. */
    private static String answerOf(Raw.Answer a) throws IOException {
        assertEquals(200, a.status(), a.text());
        var n = (com.fasterxml.jackson.databind.node.ObjectNode) json(a);
        n.remove("server_ms");
        return n.toString();
    }

    // ---------------------------------------------------------------------------------------------
    // /api/explain

    private JsonNode explain(int[] pixels, String stage, int... index) throws IOException {
        Raw.Answer a = Raw.postJson(port, "/api/explain", JSON.writeValueAsString(Map.of("pixels", pixels, "stage", stage, "index", index)));
        assertEquals(200, a.status(), a.text());
        return json(a);
    }

    @Test
    void anExplanationAddsUpToTheTracedCell() throws IOException {
        JsonNode p = json(Raw.request(port, "POST", "/api/predict?trace=1", "image/png", bytes(Path.of("data/samples/fine-pen-3.png"))));
        int[] seen = new int[784];
        for (int k = 0; k < 784; k++) seen[k] = p.path("seen").get(k).asInt();
        Map<String, JsonNode> stage = new java.util.HashMap<>();
        for (JsonNode s : p.path("stages")) stage.put(s.path("name").asText(), s.path("values"));

        for (int[] cell : new int[][] {{0, 0, 0}, {2, 14, 13}, {5, 27, 27}}) {
            JsonNode e = explain(seen, "conv1", cell);
            JsonNode x = e.path("explanation");
            assertEquals("conv", x.path("kind").asText());
            int k = (cell[0] * 28 + cell[1]) * 28 + cell[2];
            assertEquals((float) stage.get("conv1").get(k).asDouble(), (float) e.path("value_as_traced").asDouble(), "conv1 " + java.util.Arrays.toString(cell));
            assertEquals((float) stage.get("act1").get(k).asDouble(), (float) e.path("final_as_traced").asDouble(), "act1");
            double sum = 0;
            for (JsonNode row : x.path("windows").get(0).path("products")) for (JsonNode v : row) sum += v.asDouble();
            assertEquals(x.path("sum").asDouble(), sum, 0.0, "the products add up to the sum in the engine's order");
            assertEquals(x.path("value").asDouble(), x.path("sum").asDouble() + x.path("bias").asDouble(), 0.0);
        }
        JsonNode corner = explain(seen, "conv1", 0, 0, 0).path("explanation").path("windows").get(0).path("padding");
        int pads = 0;
        for (JsonNode row : corner) for (JsonNode v : row) pads += v.asBoolean() ? 1 : 0;
        assertEquals(16, pads, "conv1's corner window: 2 rows and 2 columns of zero padding");

        JsonNode pool = explain(seen, "pool2", 15, 4, 4);
        assertEquals("avg_pool", pool.path("explanation").path("kind").asText());
        assertEquals((float) stage.get("pool2").get(15 * 25 + 24).asDouble(), (float) pool.path("final_as_traced").asDouble());
        JsonNode dense = explain(seen, "fc2", 83);
        assertEquals("dense", dense.path("explanation").path("kind").asText());
        assertEquals(120, dense.path("explanation").path("contributions").size());
        assertEquals((float) stage.get("act4").get(83).asDouble(), (float) dense.path("final_as_traced").asDouble());
    }

    @Test
    void anExplainRequestThatMakesNoSenseIsRefusedInWords() throws IOException {
        String ok = "[" + "0,".repeat(783) + "0]";
        assertTrue(error(Raw.postJson(port, "/api/explain", "{\"pixels\": " + ok + ", \"stage\": \"flatten\", \"index\": [0]}"), 400).contains("not a conv, pooling or dense layer"));
        assertTrue(error(Raw.postJson(port, "/api/explain", "{\"pixels\": " + ok + ", \"stage\": \"conv9\", \"index\": [0]}"), 400).contains("no stage conv9"));
        assertTrue(error(Raw.postJson(port, "/api/explain", "{\"pixels\": " + ok + ", \"stage\": \"conv1\", \"index\": [6, 0, 0]}"), 400).contains("no cell"));
        assertTrue(error(Raw.postJson(port, "/api/explain", "{\"pixels\": [1, 2], \"stage\": \"conv1\", \"index\": [0, 0, 0]}"), 400).contains("784"));
        assertTrue(error(Raw.postJson(port, "/api/explain", "{\"pixels\": " + ok.replaceFirst("0", "256") + ", \"stage\": \"conv1\", \"index\": [0, 0, 0]}"), 400).contains("0-255"));
        error(Raw.postJson(port, "/api/explain", "{\"pixels\": " + ok + ", \"stage\": \"conv1\", \"index\": [0, 0, 0], \"extra\": 1}"), 400);
        error(Raw.postJson(port, "/api/explain", "{\"stage\": \"conv1\""), 400);
        error(Raw.postJson(port, "/api/explain", "[]"), 400);
        error(Raw.request(port, "POST", "/api/explain", "text/plain", "{}".getBytes()), 415);
    }

    // ---------------------------------------------------------------------------------------------
    // /api/conv

    @Test
    void thePlaygroundComputesWithTheProjectsLayers() throws IOException {
        JsonNode j = json(Raw.postJson(port, "/api/conv", "{\"op\": \"conv\", \"input\": [[[0,1,2],[3,4,5],[6,7,8]]], \"weight\": [[[[0,1],[2,3]]]], \"cell\": [0, 1, 1]}"));
        assertEquals("[[[19.0,25.0],[37.0,43.0]]]", j.path("output").toString());
        assertEquals(43.0, j.path("explanation").path("value").asDouble());
        assertEquals("conv", j.path("explanation").path("kind").asText());
        JsonNode w = json(Raw.postJson(port, "/api/conv", "{\"op\": \"max\", \"input\": [[[0,1,2,3],[4,5,6,7],[8,9,10,11],[12,13,14,15]]], \"kernel\": [2, 3], \"stride\": [2, 3], \"padding\": [0, 1]}"));
        assertEquals("[[[5.0,7.0],[13.0,15.0]]]", w.path("output").toString());
        assertEquals(2, w.path("sizes").path("width").path("output").asInt());
        assertEquals("{\"n\":4,\"kernel\":3,\"stride\":3,\"padding\":1,\"output\":2}", w.path("sizes").path("width").toString());
        assertTrue(error(Raw.postJson(port, "/api/conv", "{\"op\": \"conv\", \"input\": [[[1,2],[3,4]]], \"weight\": [[[[1,1,1],[1,1,1],[1,1,1]]]]}"), 400).contains("does not fit"));
        assertTrue(error(Raw.postJson(port, "/api/conv", "{\"op\": \"avg\", \"input\": [[[1,2],[3,4]]], \"kernel\": [2, 2], \"padding\": [2, 2]}"), 400).contains("more than half the window"));
        assertTrue(error(Raw.postJson(port, "/api/conv", "{\"op\": \"fft\", \"input\": [[[1]]]}"), 400).contains("conv, max or avg"));
        assertTrue(error(Raw.postJson(port, "/api/conv", "{\"op\": \"conv\", \"input\": [[[1,2],[3]]], \"weight\": [[[[1]]]]}"), 400).contains("rows differ"));
        error(Raw.postJson(port, "/api/conv", "{\"op\": \"max\", \"input\": [[[1,2],[3,4]]], \"kernel\": [0, 1]}"), 400);
    }

    @Test
    void everyD2lExampleGivesTheBooksAnswer() throws IOException {
        JsonNode examples = json(Raw.get(port, "/api/conv/examples")).path("examples");
        assertEquals(Playground.EXAMPLES.size(), examples.size());
        for (JsonNode e : examples) assertTrue(e.path("same").asBoolean(), e.path("id").asText() + ": " + e);
        assertEquals("[[[19.0,25.0],[37.0,43.0]]]", examples.get(0).path("output").toString());
    }

    // ---------------------------------------------------------------------------------------------
    // /api/model, /api/runs, /api/events

    @Test
    void theModelCanBeChosenFromTheRunsAndFromNowhereElse() throws IOException {
        JsonNode m = json(Raw.get(port, "/api/model"));
        assertEquals(RUN, m.path("run").asText());
        assertEquals(10, m.path("classes").size());
        assertEquals("LeNet-5 (sigmoid, avg pool)", m.path("title").asText());
        assertEquals(12, m.path("stages").size());

        Path other = runs.resolve("20261201-080000");
        Files.createDirectories(other);
        Files.copy(Fixture.MODEL, other.resolve("epoch-01.npz"));
        Files.write(other.resolve("last.npz"), "not a zip".getBytes());
        JsonNode chosen = json(Raw.postJson(port, "/api/model", "{\"run\": \"20261201-080000\", \"checkpoint\": \"epoch-01.npz\"}"));
        assertTrue(chosen.path("file").asText().endsWith("20261201-080000/epoch-01.npz"), chosen.toString());
        assertEquals("20261201-080000", chosen.path("run").asText());
        assertTrue(error(Raw.postJson(port, "/api/model", "{\"run\": \"20261201-080000\", \"checkpoint\": \"last.npz\"}"), 400).contains("last.npz"));
        error(Raw.postJson(port, "/api/model", "{\"run\": \"../..\", \"checkpoint\": \"last.npz\"}"), 404);
        error(Raw.postJson(port, "/api/model", "{\"run\": \"" + RUN + "\", \"checkpoint\": \"../../../pom.xml\"}"), 404);
        error(Raw.postJson(port, "/api/model", "{\"run\": \"" + RUN + "\", \"checkpoint\": \"metrics.csv\"}"), 404);
        error(Raw.postJson(port, "/api/model", "{\"run\": \"" + tmp.toAbsolutePath() + "\", \"checkpoint\": \"last.npz\"}"), 404);
        error(Raw.postJson(port, "/api/model", "{\"run\": \"nope\", \"checkpoint\": \"last.npz\"}"), 404);
        error(Raw.postJson(port, "/api/model", "{\"run\": \"" + RUN + "\"}"), 400);
        assertTrue(json(Raw.get(port, "/api/model")).path("file").asText().endsWith("epoch-01.npz"), "failed choices change nothing");
        assertEquals(200, Raw.postJson(port, "/api/model", "{\"run\": \"" + RUN + "\", \"checkpoint\": \"last.npz\"}").status());
        deleteTree(other);
    }

    @Test
    void theRunsAreListedWithTheirCurvesAndSettings() throws IOException {
        JsonNode list = json(Raw.get(port, "/api/runs"));
        JsonNode run = null;
        for (JsonNode r : list.path("runs")) if (r.path("name").asText().equals(RUN)) run = r;
        assertNotNull(run, list.toString());
        assertEquals("finished", run.path("status").asText());
        assertEquals("mnist", run.path("dataset").asText());
        assertEquals("sigmoid/avg", run.path("network").asText());
        assertEquals(4, run.path("epochs_done").asInt());
        assertEquals("[\"last.npz\"]", run.path("checkpoints").toString());

        JsonNode detail = json(Raw.get(port, "/api/runs/" + RUN));
        assertEquals(4, detail.path("metrics").size());
        assertEquals(4, detail.path("metrics").get(3).path("epoch").asInt());
        assertTrue(detail.path("metrics").get(3).has("lr") && detail.path("metrics").get(3).has("test_accuracy"));
        assertEquals(0.5, detail.path("config").path("lr").asDouble());
        error(Raw.get(port, "/api/runs/nope"), 404);
    }

    @Test
    void aRunInItsFirstEpochIsListedWithItsProgress() throws IOException {
        Path starting = runs.resolve("20261201-070000");
        Files.createDirectories(starting);
        Files.copy(Fixture.RUN.resolve("config.json"), starting.resolve("config.json"));
        Files.writeString(starting.resolve("progress.json"), "{\"epoch\": 1, \"epochs\": 4, \"images\": 6400, \"total\": 60000, \"train_loss\": 1.2, \"train_accuracy\": 0.6, \"seconds\": 2.0}");
        try {
            JsonNode r = null;
            for (JsonNode x : json(Raw.get(port, "/api/runs")).path("runs")) if (x.path("name").asText().equals("20261201-070000")) r = x;
            assertNotNull(r);
            assertEquals("training", r.path("status").asText());
            assertEquals(6400, r.path("progress").path("images").asInt());
            assertEquals(0, json(Raw.get(port, "/api/runs/20261201-070000")).path("metrics").size());
        } finally {
            deleteTree(starting);
        }
    }

    @Test
    void liveEventsFollowARunFolder() throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(("GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAccept: text/event-stream\r\n\r\n").getBytes());
            var in = s.getInputStream();
            assertTrue(Raw.line(in).contains("200"));
            String headers = "";
            for (String l; !(l = Raw.line(in)).isEmpty(); ) headers += l.toLowerCase() + "\n";
            assertTrue(headers.contains("content-type: text/event-stream"), headers);
            assertTrue(readUntil(in, RUN).contains("event: runs"), "the first event lists the runs");

            Path fresh = runs.resolve("20261201-060000");
            Files.createDirectories(fresh);
            Files.copy(Fixture.RUN.resolve("config.json"), fresh.resolve("config.json"));
            Files.writeString(fresh.resolve("progress.json"), "{\"epoch\": 1, \"epochs\": 4, \"images\": 128, \"total\": 60000, \"train_loss\": 2.3, \"train_accuracy\": 0.1, \"seconds\": 0.1}");
            assertTrue(readUntil(in, "\"name\":\"20261201-060000\"").contains("\"images\":128"), "a new run appears with its progress");
            Files.writeString(fresh.resolve("metrics.jsonl"), Files.readAllLines(Fixture.RUN.resolve("metrics.jsonl")).get(0) + "\n");
            String run = readUntil(in, "\"metrics\":[{");
            assertTrue(run.contains("event: run") && run.contains("20261201-060000"), run);
            deleteTree(fresh);
        }
    }

    @Test
    void liveStreamsAreLimitedAndAClosedPageFreesItsStream() throws Exception {
        // A server of its own: the other tests' streams would hold places until their next keep-alive.
        List<java.net.Socket> open = new ArrayList<>();
        try (Server own = Fixture.server(Fixture.MODEL, runs, log)) {
            int port = own.address().getPort();
            for (int i = 0; i < Limits.EVENT_STREAMS; i++) {
                java.net.Socket s = new java.net.Socket("127.0.0.1", port);
                s.setSoTimeout(20_000);
                s.getOutputStream().write(("GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n").getBytes());
                assertTrue(Raw.line(s.getInputStream()).contains("200"), "stream " + i);
                open.add(s);
            }
            assertTrue(error(Raw.get(port, "/api/events"), 503).contains("too many live views"));
            open.remove(0).close();
            long end = System.currentTimeMillis() + 3 * Events.KEEPALIVE_MILLIS;
            int status = 503;
            while (status == 503 && System.currentTimeMillis() < end) {
                Thread.sleep(250);
                try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                    s.setSoTimeout(20_000);
                    s.getOutputStream().write(("GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n").getBytes());
                    status = Integer.parseInt(Raw.line(s.getInputStream()).split(" ")[1]);
                }
            }
            assertEquals(200, status, "the closed stream's place is free again");
        } finally {
            for (java.net.Socket s : open) s.close();
        }
    }

    /** Reads server-sent event lines (inside HTTP chunks) until one holds {@code text}; returns what was read. */
    private static String readUntil(java.io.InputStream in, String text) throws IOException {
        StringBuilder seen = new StringBuilder();
        long end = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < end) {
            String line = Raw.line(in);
            seen.append(line).append('\n');
            if (seen.indexOf(text) >= 0) return seen.toString();
        }
        throw new AssertionError("no '" + text + "' in " + seen);
    }

    // ---------------------------------------------------------------------------------------------
    // Mistakes and test images

    @Test
    void mistakesAreTheTestImagesReadWrongMostConfidentFirst() throws IOException {
        Path mnist = Fixture.DATA.resolve("mnist");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(mnist), "no data/mnist: scripts/fetch-data.sh mnist fetches it");
        // A small test set (the first 400 of MNIST's) keeps this quick: written as IDX files of its own.
        var test = lenet.data.Dataset.loadSplit(mnist, "test").limit(400);
        Path data = tmp.resolve("data");
        writeIdx(data.resolve("mnist"), test);
        try (Server small = Server.start(Fixture.config(Fixture.MODEL, runs, "127.0.0.1", 0, data::resolve), new java.io.PrintWriter(log, true))) {
            int p = small.address().getPort();
            JsonNode j = json(Raw.get(p, "/api/mistakes?limit=200"));
            List<byte[]> images = new ArrayList<>();
            for (int i = 0; i < 400; i++) images.add(java.util.Arrays.copyOfRange(test.pixels(), i * 784, (i + 1) * 784));
            float[][] probabilities = PREDICTOR.probabilities(images);
            int wrong = 0;
            for (int i = 0; i < 400; i++) if (Outputs.argMax(probabilities[i]) != test.label(i)) wrong++;
            assertEquals(400, j.path("count").asInt());
            assertEquals(wrong, j.path("wrong").asInt());
            assertEquals(400 - wrong, j.path("correct").asInt());
            double last = 2;
            for (JsonNode m : j.path("mistakes")) {
                int i = m.path("index").asInt();
                assertEquals(test.label(i), m.path("label").asInt());
                assertEquals(Outputs.argMax(probabilities[i]), m.path("predicted").asInt());
                assertTrue(m.path("confidence").asDouble() <= last, "most confident first");
                last = m.path("confidence").asDouble();
            }
            // A test image comes back as the PNG of its bytes, and reads as the list says.
            Raw.Answer image = Raw.get(p, "/api/test-image?index=7");
            assertEquals("image/png", image.header("content-type"));
            BufferedImage png = ImageIO.read(new ByteArrayInputStream(image.body()));
            byte[] px = new byte[784];
            png.getRaster().getDataElements(0, 0, 28, 28, px);
            assertArrayEquals(java.util.Arrays.copyOfRange(test.pixels(), 7 * 784, 8 * 784), px);
            error(Raw.get(p, "/api/test-image?index=400"), 400);
            error(Raw.get(p, "/api/test-image?index=-1"), 400);
            error(Raw.get(p, "/api/test-image?index=x"), 400);
            error(Raw.get(p, "/api/test-image"), 400);
            error(Raw.get(p, "/api/mistakes?limit=0"), 400);
        }
    }

    @Test
    void withoutTheTestDataTheMistakesSayHowToFetchIt() throws IOException {
        try (Server s = Server.start(Fixture.config(Fixture.MODEL, runs, "127.0.0.1", 0, d -> tmp.resolve("no-data").resolve(d)), new java.io.PrintWriter(log, true))) {
            assertTrue(error(Raw.get(s.address().getPort(), "/api/mistakes"), 404).contains("fetch-data.sh"));
        }
    }

    /** {@code lenet predict}'s reader of the fixture's model, judging familiarity and loops as the server does. */
    private static Predictor predictor() {
        return Models.load(Fixture.MODEL, null, null, Path.of("no-runs")).predictor(Fixture.DATA.resolve("mnist"), () -> {});
    }

    private static void writeIdx(Path dir, lenet.data.Dataset d) throws IOException {
        Files.createDirectories(dir);
        java.nio.ByteBuffer images = java.nio.ByteBuffer.allocate(16 + d.pixels().length);
        images.putInt(0x803).putInt(d.count()).putInt(28).putInt(28).put(d.pixels());
        java.nio.ByteBuffer labels = java.nio.ByteBuffer.allocate(8 + d.count());
        labels.putInt(0x801).putInt(d.count()).put(d.labels());
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), images.array());
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), labels.array());
    }

    // ---------------------------------------------------------------------------------------------
    // Read only; starting

    @Test
    void runFoldersAreReadNeverWritten() throws Exception {
        Map<String, String> before = snapshot(runs);
        Raw.get(port, "/api/runs");
        Raw.get(port, "/api/runs/" + RUN);
        Raw.postJson(port, "/api/model", "{\"run\": \"" + RUN + "\", \"checkpoint\": \"last.npz\"}");
        predict(bytes(Path.of("data/samples/chalk-9.png")));
        Raw.request(port, "POST", "/api/predict?trace=1", "image/png", bytes(Path.of("data/samples/chalk-9.png")));
        Raw.postJson(port, "/api/explain", "{\"pixels\": [" + "0,".repeat(783) + "0], \"stage\": \"fc3\", \"index\": [3]}");
        assertEquals(before, snapshot(runs));
        assertTrue(Files.isWritable(runs), "the folder itself is writable: the server just does not write");
    }

    /** Every file under {@code dir}: size, modification time and SHA-256. */
    private static Map<String, String> snapshot(Path dir) throws Exception {
        Map<String, String> m = new java.util.TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.toList()) {
                String what = Files.isDirectory(f) ? "dir " + Files.getLastModifiedTime(f) : Files.size(f) + " " + Files.getLastModifiedTime(f) + " "
                        + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
                m.put(dir.relativize(f).toString(), what);
            }
        }
        return m;
    }

    @Test
    void withNoModelThePageStillServesAndPredictSaysWhy() throws IOException {
        try (Server s = Fixture.server(null, tmp.resolve("no-runs"), log)) {
            int p = s.address().getPort();
            assertEquals(200, Raw.get(p, "/").status());
            JsonNode m = json(Raw.get(p, "/api/model"));
            assertTrue(m.path("file").isNull());
            assertTrue(m.path("problem").asText().contains("no trained model under"), m.toString());
            assertTrue(error(predict(p, bytes(Path.of("data/samples/chalk-9.png"))), 503).contains("{command} train"));
            assertEquals("[]", json(Raw.get(p, "/api/runs")).path("runs").toString());
        }
    }

    private static Raw.Answer predict(int p, byte[] image) throws IOException {
        return Raw.request(p, "POST", "/api/predict", "image/png", image);
    }

    @Test
    void startingFailsInOneLineForABadModelAPortInUseOrAnUnknownAddress() throws IOException {
        LenetException bad = assertThrows(LenetException.class, () -> Fixture.server(Path.of("src/test/resources/bad/model/truncated.npz"), runs, log));
        assertTrue(bad.getMessage().startsWith("src/test/resources/bad/model/truncated.npz"), bad.getMessage());
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            LenetException busy = assertThrows(LenetException.class,
                    () -> Server.start(Fixture.config(Fixture.MODEL, runs, "127.0.0.1", taken.getLocalPort(), Fixture.DATA::resolve), new java.io.PrintWriter(log)));
            assertTrue(busy.getMessage().contains("choose another {port}, or {port} 0"), busy.getMessage());
        }
        LenetException host = assertThrows(LenetException.class,
                () -> Server.start(Fixture.config(Fixture.MODEL, runs, "no-such-host.invalid", 0, Fixture.DATA::resolve), new java.io.PrintWriter(log)));
        assertTrue(host.getMessage().startsWith("{host} no-such-host.invalid"), host.getMessage());
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(f);
        }
    }
}
