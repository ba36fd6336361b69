package lenet.serve;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Function;
import java.util.stream.Stream;
import lenet.LenetException;
import lenet.app.Models;

/**
 * What the serve tests run against: a LeNet trained on MNIST ({@code src/test/resources/serve/run},
 * made by {@code make_fixture.sh} beside it: 4 epochs of the default recipe, seed 1, one thread),
 * copied as a run folder into a temporary runs folder, and a server on a free port of 127.0.0.1.
 */
final class Fixture {
    static final Path RUN = Path.of("src/test/resources/serve/run");
    static final Path MODEL = RUN.resolve("last.npz");
    static final Path DATA = Path.of("data");

    private Fixture() {}

    /** A runs folder holding a copy of the fixture's run as {@code name}. */
    static Path runs(Path tmp, String name) throws IOException {
        Path runs = tmp.resolve("runs");
        Path dir = runs.resolve(name);
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(RUN)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (!f.getFileName().toString().endsWith(".sh")) Files.copy(f, dir.resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        return runs;
    }

    /** A server on a free port of 127.0.0.1 with {@code model} (null: the newest finished run under {@code runs}). */
    static Server server(Path model, Path runs, StringWriter log) {
        return Server.start(config(model, runs, "127.0.0.1", 0, DATA::resolve), new PrintWriter(log, true));
    }

    /**
     * What {@code lenet serve} gives the server: {@code model} (null: the newest finished run under
     * {@code runs}) read by {@link Models#load}; with no model given and none usable under {@code runs},
     * no model and the reason.
     */
    static ServeConfig config(Path model, Path runs, String host, int port, Function<String, Path> dataDir) {
        try {
            return new ServeConfig(Models.load(model, null, null, runs), null, runs, host, port, dataDir);
        } catch (LenetException e) {
            if (model != null) throw e;
            return new ServeConfig(null, e.getMessage(), runs, host, port, dataDir);
        }
    }
}
