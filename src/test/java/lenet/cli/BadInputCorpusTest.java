package lenet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import lenet.train.Checkpoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file of the broken-and-hostile corpus in src/test/resources/bad (made by
 * make_bad_inputs.py beside it) gets exit status 1 and one line that names the file: no stack
 * trace, no hang, no huge allocation (the suite runs with -Xmx2g; each case must end within 10 s).
 */
class BadInputCorpusTest {
    private static final Path CORPUS = Path.of("src", "test", "resources", "bad");
    private static final long SECONDS = 10;

    @TempDir
    static Path tmp;

    static Path data;
    static Path model;

    @BeforeAll
    static void goodModelAndData() throws Exception {
        data = MnistFixture.write(tmp.resolve("data"), 20, 20);
        model = tmp.resolve("model.npz");
        lenet.TestModels.save(model, lenet.model.Activation.SIGMOID, lenet.model.Pooling.AVG, 1, null);
    }

    static Stream<String> idxCases() throws IOException {
        try (Stream<Path> files = Files.list(CORPUS.resolve("idx"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("-images"))
                    .map(n -> n.substring(0, n.length() - "-images".length())).sorted().toList().stream();
        }
    }

    static Stream<Path> files(String kind) throws IOException {
        try (Stream<Path> files = Files.list(CORPUS.resolve(kind))) {
            return files.sorted().toList().stream();
        }
    }

    static Stream<Path> modelFiles() throws IOException {
        return files("model");
    }

    static Stream<Path> imageFiles() throws IOException {
        return files("image");
    }

    @ParameterizedTest(name = "idx: {0}")
    @MethodSource("idxCases")
    void brokenIdxFilesAreRefusedInOneLine(String name) {
        Path images = CORPUS.resolve("idx").resolve(name + "-images");
        Path labels = CORPUS.resolve("idx").resolve(name + "-labels");
        Cli r = timed(() -> Cli.run("eval", "--model", model.toString(), "--images", images.toString(), "--labels", labels.toString()));
        assertRefused(r, images.getFileName() + "|" + labels.getFileName());
    }

    @ParameterizedTest(name = "model: {0}")
    @MethodSource("modelFiles")
    void brokenCheckpointsAreRefusedInOneLine(Path file) {
        Cli r = timed(() -> Cli.run("eval", "--model", file.toString(), "--data", data.toString()));
        assertRefused(r, file.getFileName().toString());
    }

    @ParameterizedTest(name = "image: {0}")
    @MethodSource("imageFiles")
    void brokenImagesAreRefusedInOneLine(Path file) {
        Cli r = timed(() -> Cli.run("predict", "--model", model.toString(), file.toString()));
        assertRefused(r, file.getFileName().toString());
    }

    private static Cli timed(java.util.function.Supplier<Cli> run) {
        long start = System.nanoTime();
        Cli r = run.get();
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds < SECONDS, "took " + seconds + " s");
        return r;
    }

    /**
     * Exit 1, one line on stderr naming one of {@code names} ('|'-separated), no stack trace. (A
     * command that loaded its model first has said which one: that note is not part of the refusal.)
     */
    private static void assertRefused(Cli r, String names) {
        assertEquals(1, r.exitCode(), r.out() + r.err());
        assertEquals(1, r.problemLines().length, "one line: " + r.err());
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), r.err());
        boolean named = false;
        for (String name : names.split("\\|")) named |= r.err().contains(name);
        assertTrue(named, "names the file: " + r.err());
    }
}
