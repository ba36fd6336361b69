package lenet.engine;

import java.util.ArrayList;
import java.util.List;
import lenet.engine.nd4j.Nd4jEngine;
import lenet.engine.nd4j.Nd4jInfo;
import lenet.engine.reference.ReferenceEngine;
import lenet.model.ModelSpec;

/**
 * The one place that decides which engine runs a model, by what the work is and what this JVM
 * offers; nothing else in lenet names an engine.
 *
 * <ul>
 *   <li>Training: ND4J's native kernels (with the vector-API kernels inside it when the JVM has the
 *       module).</li>
 *   <li>A few samples to score (up to {@link #REFERENCE_UP_TO}): the reference engine in plain Java,
 *       which starts at once; ND4J's native library takes a few tenths of a second to load, and wins
 *       only from about 700-1000 images (measured with {@code lenet predict}, below).</li>
 *   <li>Many samples: ND4J's batched kernels.</li>
 *   <li>Looking inside one sample (a trace, the arithmetic of one cell): the reference engine, whose
 *       explanations come from the code its forward pass runs.</li>
 * </ul>
 *
 * <pre>
 *   predict, N images (s, start to exit)   1     300    500    700    1000   2000   3000
 *   plain Java                             0.44  0.77   0.79   1.12   1.07   2.08   2.85
 *   ND4J                                   0.88  0.99   1.01   1.08   1.10   1.37   1.70
 * </pre>
 */
public final class Engines {
    private Engines() {}

    /** Up to this many samples are scored by the reference engine, more by ND4J's. */
    public static final int REFERENCE_UP_TO = 1000;

    private static final ReferenceEngine REFERENCE = new ReferenceEngine();
    private static volatile Engine nd4j; // made on first use: its class loads ND4J

    /** The engine that trains {@code spec}. */
    public static Engine forTraining(ModelSpec spec) {
        return nd4j();
    }

    /** The engine that scores {@code samples} samples of {@code spec} (loading nothing native for a few). */
    public static Engine forScoring(ModelSpec spec, long samples) {
        return samples <= REFERENCE_UP_TO ? REFERENCE : nd4j();
    }

    /** The engine that traces and explains one sample: the reference, whose numbers come from its own loops. */
    public static ReferenceEngine forLookingInside() {
        return REFERENCE;
    }

    /** True when scoring {@code samples} samples starts no native library. */
    public static boolean scoresWithoutNative(long samples) {
        return samples <= REFERENCE_UP_TO;
    }

    /**
     * Null when one training step of {@code batch} images fits in this process's memory, otherwise
     * why not and what to do ("needs ..."), so a batch that cannot fit is refused before training.
     */
    public static String trainingMemoryProblem(ModelSpec spec, int batch) {
        return lenet.engine.nd4j.StepMemory.problem(batch);
    }

    /** Lets the native kernels use {@code threads} threads (starts ND4J). */
    public static void setThreads(int threads) {
        Nd4jInfo.setThreads(threads);
    }

    /** How many threads the native kernels use (starts ND4J). */
    public static int threads() {
        return Nd4jInfo.threads();
    }

    /** The lines {@code lenet --version} prints about the engines (starts ND4J to ask it). */
    public static List<String> describe() {
        List<String> lines = new ArrayList<>(Nd4jInfo.versionLines());
        lines.add("engines: training on " + nd4j().describe() + "; up to " + REFERENCE_UP_TO + " images scored, and every trace, on "
                + REFERENCE.describe());
        return lines;
    }

    private static Engine nd4j() {
        Engine e = nd4j;
        if (e == null) {
            synchronized (Engines.class) {
                if (nd4j == null) nd4j = new Nd4jEngine();
                e = nd4j;
            }
        }
        return e;
    }
}
