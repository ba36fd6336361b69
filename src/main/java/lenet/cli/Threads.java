package lenet.cli;

import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine;

/** The {@code --threads} option: how many threads ND4J's native kernels may use. */
final class Threads {
    static final int MAX = 64;

    private Threads() {}

    /** Refuses a {@code threads} outside 1-{@value #MAX} as a usage error; null (not given) passes. */
    static void check(Integer threads, CommandLine cl) {
        if (threads != null && (threads < 1 || threads > MAX)) {
            throw new CommandLine.ParameterException(cl, "--threads must be between 1 and " + MAX + ", was " + threads);
        }
    }

    /**
     * Checks and applies {@code threads} (null: leave ND4J's default, which follows OMP_NUM_THREADS
     * or the core count). Setting them starts ND4J; with null nothing is touched.
     */
    static void apply(Integer threads, CommandLine cl) {
        check(threads, cl);
        if (threads == null) return;
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
    }
}
