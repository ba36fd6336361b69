package lenet.cli;

import lenet.engine.Engines;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --threads}: how many threads the native kernels may use (shared by every command that runs a model). */
final class ThreadsOption {
    static final int MAX = 64;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads for the native kernels (default: ND4J's, which follows OMP_NUM_THREADS); a few images are scored in plain Java, where it sets nothing.")
    Integer threads;

    /** Refuses a value outside 1-{@value #MAX} as a usage error; none given passes. */
    void check(CommandLine cl) {
        if (threads != null && (threads < 1 || threads > MAX)) {
            throw new CommandLine.ParameterException(cl, "--threads must be between 1 and " + MAX + ", was " + threads);
        }
    }

    /** Sets the threads when given (which starts the native library; with none given nothing is touched). */
    void apply() {
        if (threads != null) Engines.setThreads(threads);
    }
}
