package lenet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import lenet.train.Bench;
import lenet.data.Dataset;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code lenet bench}: training and inference speed of the default LeNet on this machine. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Time LeNet training steps and inference after a warm-up: images/s, ms per step, peak memory, "
                    + "and where a step's time goes, layer by layer. Uses the MNIST training images when fetched, else noise."})
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Option(names = "--batch-size", defaultValue = "256", description = "Images per training step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--infer-batch-size", defaultValue = "1000", description = "Images per inference batch (default: ${DEFAULT-VALUE}).")
    int inferBatchSize;

    @Option(names = "--seconds", defaultValue = "5", description = "How long to time training, and then inference (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--threads", description = "Threads for the native kernels.")
    Integer threads;

    @Option(names = "--data", paramLabel = "DIR", description = "MNIST folder (default: data/mnist; generated images when missing).")
    Path dataDir;

    @Option(names = "--json", description = "One JSON object: train_images_per_second, infer_images_per_second, step_ms, peak_rss_mb, ...")
    boolean json;

    @Option(names = "--engine", defaultValue = "nd4j", paramLabel = "nd4j|fused|both",
            description = "Which engine to time: the ND4J layers, the fused vector-API engine, or both, one step of each in turn (default: ${DEFAULT-VALUE}).")
    String engine;

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        if (batchSize < 1 || batchSize > 65536) throw new ParameterException(cl, "--batch-size must be between 1 and 65536, was " + batchSize);
        if (inferBatchSize < 1 || inferBatchSize > 65536) throw new ParameterException(cl, "--infer-batch-size must be between 1 and 65536, was " + inferBatchSize);
        if (!(seconds > 0 && seconds <= 3600)) throw new ParameterException(cl, "--seconds must be above 0 and at most 3600, was " + seconds);
        if (!java.util.List.of("nd4j", "fused", "both").contains(engine)) throw new ParameterException(cl, "--engine must be nd4j, fused or both, was " + engine);
        if (!engine.equals("nd4j") && ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            throw new ParameterException(cl, "--engine " + engine + " needs Java's vector module: start Java with --add-modules jdk.incubator.vector (scripts/lenet does)");
        }
        Threads.apply(threads, cl);
        int engineThreads = threads != null ? threads : org.nd4j.linalg.factory.Nd4j.getEnvironment().maxMasterThreads();

        Path dir = dataDir != null ? dataDir : Defaults.dataDir("mnist");
        Bench bench;
        String source;
        if (Files.isDirectory(dir)) {
            Dataset train = Dataset.loadSplit(dir, "train").limit(10000);
            bench = new Bench(train, 1);
            source = dir + " (first " + train.count() + " training images)";
        } else {
            bench = Bench.generated(10000, 1);
            source = "generated noise (no MNIST at " + dir + ")";
        }
        PrintWriter out = cl.getOut();
        if (engine.equals("both")) {
            Bench.Comparison c = bench.compare(batchSize, inferBatchSize, seconds, engineThreads);
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("nd4j", jsonOf(c.nd4j(), lenet.nn.Simd.describe(), engineThreads));
                m.put("fused", jsonOf(c.fused(), lenet.engine.fused.FusedLeNet.describe(), engineThreads));
                m.put("train_ratio", c.fused().trainImagesPerSecond() / c.nd4j().trainImagesPerSecond());
                m.put("infer_ratio", c.fused().inferImagesPerSecond() / c.nd4j().inferImagesPerSecond());
                out.println(new ObjectMapper().writeValueAsString(m));
            } else {
                out.printf(Locale.ROOT, "data        %s%n", source);
                out.printf(Locale.ROOT, "engines     nd4j: %s%n            fused: %s%n", lenet.nn.Simd.describe(), lenet.engine.fused.FusedLeNet.describe());
                out.printf(Locale.ROOT, "one training step of each in turn, then one inference batch of each; medians, %d threads%n%n", engineThreads);
                out.printf(Locale.ROOT, "%-22s %12s %12s %12s%n", "", "nd4j", "fused", "fused/nd4j");
                out.printf(Locale.ROOT, "%-22s %,12.0f %,12.0f %11.2fx%n", "training images/s", c.nd4j().trainImagesPerSecond(),
                        c.fused().trainImagesPerSecond(), c.fused().trainImagesPerSecond() / c.nd4j().trainImagesPerSecond());
                out.printf(Locale.ROOT, "%-22s %,12.0f %,12.0f %11.2fx%n", "inference images/s", c.nd4j().inferImagesPerSecond(),
                        c.fused().inferImagesPerSecond(), c.fused().inferImagesPerSecond() / c.nd4j().inferImagesPerSecond());
                out.printf(Locale.ROOT, "%-22s %12.2f %12.2f%n", "training step ms", c.nd4j().stepMs(), c.fused().stepMs());
                out.printf(Locale.ROOT, "%-22s %12.2f %12.2f%n", "inference batch ms", c.nd4j().inferMs(), c.fused().inferMs());
                out.printf(Locale.ROOT, "%-22s %12d %12d%n%n", "steps timed", c.nd4j().trainSteps(), c.fused().trainSteps());
                printNd4jTable(out, c.nd4j());
                out.println();
                printFusedTable(out, c.fused());
            }
            out.flush();
            return 0;
        }
        boolean fused = engine.equals("fused");
        Bench.Result r = fused ? bench.runFused(batchSize, inferBatchSize, seconds, engineThreads) : bench.run(batchSize, inferBatchSize, seconds);
        String kernels = fused ? lenet.engine.fused.FusedLeNet.describe() : lenet.nn.Simd.describe();
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(jsonOf(r, kernels, fused ? engineThreads : org.nd4j.linalg.factory.Nd4j.getEnvironment().maxMasterThreads())));
        } else {
            out.printf(Locale.ROOT, "data        %s%n", source);
            out.printf(Locale.ROOT, "kernels     %s%n", kernels);
            out.printf(Locale.ROOT, "training    %,.0f images/s  (%.2f ms per step of %d, median of %d)%n",
                    r.trainImagesPerSecond(), r.stepMs(), r.batchSize(), r.trainSteps());
            out.printf(Locale.ROOT, "inference   %,.0f images/s  (%.2f ms per batch of %d, median of %d)%n",
                    r.inferImagesPerSecond(), r.inferMs(), r.inferBatchSize(), r.inferBatches());
            out.printf(Locale.ROOT, "peak RSS    %.0f MB%n%n", r.peakRssMb());
            if (fused) printFusedTable(out, r);
            else printNd4jTable(out, r);
        }
        out.flush();
        return 0;
    }

    private static Map<String, Object> jsonOf(Bench.Result r, String kernels, int threads) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("train_images_per_second", r.trainImagesPerSecond());
        m.put("infer_images_per_second", r.inferImagesPerSecond());
        m.put("step_ms", r.stepMs());
        m.put("infer_batch_ms", r.inferMs());
        m.put("peak_rss_mb", r.peakRssMb());
        m.put("batch_size", r.batchSize());
        m.put("infer_batch_size", r.inferBatchSize());
        m.put("train_steps_timed", r.trainSteps());
        m.put("infer_batches_timed", r.inferBatches());
        m.put("kernels", kernels);
        m.put("threads", threads);
        m.put("layer_ms", r.layerMs());
        if (!Double.isNaN(r.peakGflops())) m.put("peak_gflops", r.peakGflops());
        return m;
    }

    private static void printNd4jTable(PrintWriter out, Bench.Result r) {
        out.printf(Locale.ROOT, "%-36s %10s %10s%n", "nd4j: where a training step's time goes", "fwd ms", "bwd ms");
        r.layerMs().forEach((name, ms) -> out.printf(Locale.ROOT, "%-36s %10.2f %10.2f%n", name, ms[0], ms[1]));
    }

    private static void printFusedTable(PrintWriter out, Bench.Result r) {
        out.printf(Locale.ROOT, "%-42s %8s %9s %9s%n", "fused: where a training step's time goes", "ms", "GFLOP/s", "of peak");
        r.layerMs().forEach((name, v) -> out.printf(Locale.ROOT, "%-42s %8.3f %9s %9s%n", name, v[0],
                v[1] > 0 ? String.format(Locale.ROOT, "%.1f", v[1]) : "", v[1] > 0 ? String.format(Locale.ROOT, "%.0f%%", 100 * v[1] / r.peakGflops()) : ""));
        out.printf(Locale.ROOT, "%-42s %8s %9.1f%n", "peak: vector multiply-adds in registers", "", r.peakGflops());
    }
}
