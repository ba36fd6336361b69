package lenet.engine;

import java.util.ArrayList;
import java.util.List;
import lenet.engine.fused.FusedEngine;
import lenet.engine.nd4j.Nd4jEngine;
import lenet.engine.nd4j.Nd4jInfo;
import lenet.engine.reference.ReferenceEngine;
import lenet.model.ModelSpec;

/**
 * The one place that decides which engine runs a model, by what the work is and what this JVM
 * offers; nothing else in lenet names an engine.
 *
 * <ul>
 *   <li>Training: the fused engine ({@code lenet.engine.fused}) for the four LeNets without batch
 *       norm when the JVM has the vector module, being faster than ND4J's (measured below);
 *       otherwise ND4J's native kernels (with the vector-API kernels inside it when the JVM has the
 *       module).</li>
 *   <li>A few samples to score (up to {@link #REFERENCE_UP_TO}): the reference engine in plain Java,
 *       which starts at once; ND4J's native library takes a few tenths of a second to load, and wins
 *       only from about 700-1000 images (measured with {@code lenet predict}, below).</li>
 *   <li>Many samples: the fused engine where it runs the network (faster than ND4J's, below),
 *       otherwise ND4J's batched kernels.</li>
 *   <li>Looking inside one sample (a trace, the arithmetic of one cell): the reference engine, whose
 *       explanations come from the code its forward pass runs.</li>
 * </ul>
 *
 * <pre>
 *   predict, N images (s, start to exit)   1     300    500    700    1000   2000   3000
 *   plain Java                             0.44  0.77   0.79   1.12   1.07   2.08   2.85
 *   ND4J                                   0.88  0.99   1.01   1.08   1.10   1.37   1.70
 * </pre>
 *
 * <p>Fused against ND4J, default network, batch 256 for training and 1000 for inference, medians
 * (2026-11-30, 2 cores shared with other jobs, load average 12-15; {@code lenet bench --engine both}
 * alternates one step or batch of each; {@code scripts/bench-vs-pytorch.sh} runs each engine in turn):
 *
 * <pre>
 *                                          training img/s        inference img/s
 *                                          nd4j     fused        nd4j     fused
 *   bench --engine both (2 threads)         294    11,641       2,778    22,404
 *   bench-vs-pytorch.sh, THREADS=2          314    20,360       3,616    39,739
 *   bench-vs-pytorch.sh, THREADS=1        3,862    21,507      12,043    34,456
 * </pre>
 *
 * The fused engine is ahead in every one (5.6x-65x training, 2.9x-11x inference); ND4J's OpenMP
 * threads suffer most from the load, so the ratios on a quiet machine will be smaller.
 *
 * <p>{@code -Dlenet.engine=nd4j} (or {@code fused}) overrides the choice for training and for
 * scoring many samples (with {@code scripts/lenet}: {@code LENET_JAVA_OPTS=-Dlenet.engine=nd4j}); an
 * engine that cannot run the network is passed over.
 */
public final class Engines {
    private Engines() {}

    /** Up to this many samples are scored by the reference engine, more by a batched engine. */
    public static final int REFERENCE_UP_TO = 1000;

    /** Measured (see above): the fused engine trains faster than ND4J's. */
    private static final boolean FUSED_TRAINS_FASTER = true;
    /** Measured (see above): the fused engine scores a batch faster than ND4J's. */
    private static final boolean FUSED_SCORES_FASTER = true;

    /** The engine names {@link #named} knows, in the order {@code lenet bench} lists them. */
    public static final List<String> NAMES = List.of("nd4j", "fused", "reference");

    private static final ReferenceEngine REFERENCE = new ReferenceEngine();
    private static volatile Integer threads; // set by --threads; null: each engine's default
    private static final FusedEngine FUSED = new FusedEngine(Engines::fusedThreads);
    private static volatile Engine nd4j; // made on first use: its class loads ND4J

    /** The engine that trains {@code spec}. */
    public static Engine forTraining(ModelSpec spec) {
        return usesFused(spec, FUSED_TRAINS_FASTER) ? FUSED : nd4j();
    }

    /** The engine that scores {@code samples} samples of {@code spec} (loading nothing native for a few). */
    public static Engine forScoring(ModelSpec spec, long samples) {
        if (samples <= REFERENCE_UP_TO) return REFERENCE;
        return usesFused(spec, FUSED_SCORES_FASTER) ? FUSED : nd4j();
    }

    /** The fused engine when it runs {@code spec} and is faster, or when {@code -Dlenet.engine=fused}; never when {@code -Dlenet.engine=nd4j}. */
    private static boolean usesFused(ModelSpec spec, boolean faster) {
        String forced = System.getProperty("lenet.engine");
        if ("nd4j".equals(forced)) return false;
        return ("fused".equals(forced) || faster) && FUSED.supports(spec);
    }

    /** The engine that traces and explains one sample: the reference, whose numbers come from its own loops. */
    public static ReferenceEngine forLookingInside() {
        return REFERENCE;
    }

    /** The engine called {@code name} (one of {@link #NAMES}), for {@code lenet bench --engine}. */
    public static Engine named(String name) {
        return switch (name) {
            case "nd4j" -> nd4j();
            case "fused" -> FUSED;
            case "reference" -> REFERENCE;
            default -> throw new IllegalArgumentException("no engine '" + name + "' (known: " + String.join(", ", NAMES) + ")");
        };
    }

    /** True when scoring {@code samples} samples of {@code spec} starts no native library. */
    public static boolean scoresWithoutNative(ModelSpec spec, long samples) {
        return samples <= REFERENCE_UP_TO || usesFused(spec, FUSED_SCORES_FASTER);
    }

    /**
     * Null when one training step of {@code batch} images fits in this process's memory, otherwise
     * why not and what to do ("needs ..."), so a batch that cannot fit is refused before training.
     * (The fused engine's working memory does not grow with the batch: a tile per thread.)
     */
    public static String trainingMemoryProblem(ModelSpec spec, int batch) {
        return forTraining(spec) == FUSED ? null : lenet.engine.nd4j.StepMemory.problem(batch);
    }

    /** Lets the engines use {@code threads} threads (ND4J's native kernels are set at once when started, else when they start). */
    public static void setThreads(int threads) {
        Engines.threads = threads;
        if (nd4j != null) Nd4jInfo.setThreads(threads);
    }

    /** How many threads {@code engine} uses (for ND4J, this starts it). */
    public static int threads(Engine engine) {
        if (engine == FUSED) return FUSED.threads();
        if (engine == REFERENCE) return 1;
        nd4j();
        return Nd4jInfo.threads();
    }

    /** The fused engine's threads: {@code --threads}, else one per processor. */
    private static int fusedThreads() {
        Integer t = threads;
        return t != null ? t : Runtime.getRuntime().availableProcessors();
    }

    /** The lines {@code lenet --version} prints about the engines (starts ND4J to ask it). */
    public static List<String> describe() {
        List<String> lines = new ArrayList<>(Nd4jInfo.versionLines());
        ModelSpec def = lenet.model.Architecture.lenetDefault().spec();
        lines.add("engines: training on " + forTraining(def).describe() + " (batch norm on " + nd4j().describe() + "); up to "
                + REFERENCE_UP_TO + " images scored, and every trace, on " + REFERENCE.describe() + "; more on "
                + forScoring(def, REFERENCE_UP_TO + 1).name());
        return lines;
    }

    private static Engine nd4j() {
        Engine e = nd4j;
        if (e == null) {
            synchronized (Engines.class) {
                if (nd4j == null) {
                    Integer t = threads;
                    if (t != null) Nd4jInfo.setThreads(t);
                    nd4j = new Nd4jEngine();
                }
                e = nd4j;
            }
        }
        return e;
    }
}
