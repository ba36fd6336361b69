package lenet.cli;

import java.nio.file.Path;

/** Where lenet looks when no path is given. */
final class Defaults {
    private Defaults() {}

    /**
     * The folder that holds training runs: {@code runs} under the current directory (the system
     * property {@code lenet.runs} moves it, for tests).
     */
    static Path runs() {
        return Path.of(System.getProperty("lenet.runs", "runs"));
    }

    /**
     * The data folder of a data set: {@code data/<dataset>} under the lenet checkout when the
     * launcher says where that is ({@code LENET_HOME}), otherwise under the current directory.
     */
    static Path dataDir(String dataset) {
        String home = System.getenv("LENET_HOME");
        Path base = home == null || home.isBlank() ? Path.of("data") : Path.of(home, "data");
        return base.resolve(dataset);
    }
}
