package lenet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lenet serve} as a command: its options, its warning for another --host, and a real process stopped by a signal. */
class ServeCommandTest {
    private static final String MODEL = "src/test/resources/serve/run/last.npz";

    @Test
    void aPortOutOfRangeIsAUsageError() {
        Cli r = Cli.run("serve", "--port", "70000", "--model", MODEL);
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--port must be between 0 and 65535, was 70000"), r.err());
    }

    @Test
    void anotherHostIsWarnedAboutAndAnAddressThatIsNotThisMachinesFailsInOneLine(@TempDir Path tmp) {
        // 203.0.113.7 is a documentation address (TEST-NET-3): never this machine's, so nothing is ever exposed here.
        Cli r = Cli.run("serve", "--host", "203.0.113.7", "--port", "0", "--model", MODEL, "--runs", tmp.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith("warning: --host 203.0.113.7 makes the page reachable from the network"), r.err());
        assertTrue(r.problemLines()[r.problemLines().length - 1].startsWith("lenet: cannot listen on 203.0.113.7:0"), r.err());
    }

    @Test
    void aBadModelFailsBeforeAnythingListens(@TempDir Path tmp) {
        Cli r = Cli.run("serve", "--port", "0", "--model", "src/test/resources/bad/model/random-bytes.npz", "--runs", tmp.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith("lenet: src/test/resources/bad/model/random-bytes.npz: "), r.err());
    }

    @Test
    void theServerPrintsItsAddressServesThePageAndStopsOnSigterm(@TempDir Path tmp) throws Exception {
        List<String> cmd = List.of(new File(System.getProperty("java.home"), "bin/java").getPath(), "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "serve", "--port", "0", "--model", MODEL, "--runs", tmp.toString());
        Process p = new ProcessBuilder(cmd).redirectError(tmp.resolve("err.txt").toFile()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String address = out.readLine();
            assertTrue(address != null && address.matches("http://127\\.0\\.0\\.1:\\d+/"), "first line: " + address);
            HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(address)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("data-testid=\"draw\""));
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "stopped");
            assertEquals(143, p.exitValue());
            String err = java.nio.file.Files.readString(tmp.resolve("err.txt"));
            assertTrue(err.contains("model " + MODEL + ": LeNet-5 (sigmoid, avg pool) trained on mnist, test accuracy 98.62%"), err);
            assertTrue(err.contains("lenet: SIGTERM: stopping the server"), err);
        } finally {
            p.destroyForcibly();
        }
    }
}
