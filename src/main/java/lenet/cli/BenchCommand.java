package lenet.cli;

import java.io.PrintWriter;
import lenet.engine.Engines;
import lenet.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import lenet.engine.Engine;
import lenet.model.Architecture;
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
                    + "and where a step's time goes, layer by layer. Uses the MNIST training images when fetched, else noise."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  ${COMMAND-FULL-NAME}",
            "  ${COMMAND-FULL-NAME} --batch-size 128 --seconds 10",
            "  ${COMMAND-FULL-NAME} --threads 1 --json"},
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {ExitCodes.OK, ExitCodes.FAILED, ExitCodes.USAGE})
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "256", description = "Images per training step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--infer-batch-size", paramLabel = "N", defaultValue = "1000", description = "Images per inference batch (default: ${DEFAULT-VALUE}).")
    int inferBatchSize;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "5", description = "How long to time training, and then inference (default: ${DEFAULT-VALUE}).")
    double seconds;

    @picocli.CommandLine.Mixin
    ThreadsOption threads;

    @Option(names = "--data", paramLabel = "DIR", description = "MNIST folder (default: data/mnist; generated images when missing).")
    Path dataDir;

    @Option(names = "--json", description = "One JSON object: train_images_per_second, infer_images_per_second, step_ms, peak_rss_mb, ...")
    boolean json;

    @Option(names = "--engine", paramLabel = "nd4j|fused|both",
            description = "Which engine to time: ND4J's layers, the fused vector-API engine, or both, one step of each in turn "
                    + "(default: the one lenet trains with).")
    String engine;

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        if (batchSize < 1 || batchSize > 65536) throw new ParameterException(cl, "--batch-size must be between 1 and 65536, was " + batchSize);
        if (inferBatchSize < 1 || inferBatchSize > 65536) throw new ParameterException(cl, "--infer-batch-size must be between 1 and 65536, was " + inferBatchSize);
        if (!(seconds > 0 && seconds <= 3600)) throw new ParameterException(cl, "--seconds must be above 0 and at most 3600, was " + seconds);
        threads.check(cl);
        threads.apply();

        Engine single = null;
        if (engine != null) {
            if (!List.of("nd4j", "fused", "both").contains(engine)) throw new ParameterException(cl, "--engine must be nd4j, fused or both, was " + engine);
            Engine fused = Engines.named("fused");
            if (!engine.equals("nd4j") && !fused.supports(Architecture.lenetDefault().spec())) {
                throw new ParameterException(cl, "--engine " + engine + " cannot run here: " + fused.describe()
                        + " (start Java with --add-modules jdk.incubator.vector; scripts/lenet does)");
            }
            if (!engine.equals("both")) single = Engines.named(engine);
        }

        Path dir = dataDir != null ? dataDir : Defaults.dataDir("mnist");
        Dataset data;
        String source;
        if (Files.isDirectory(dir)) {
            data = Dataset.loadSplit(dir, "train").limit(10000);
            source = dir + " (first " + data.count() + " training images)";
        } else {
            data = Bench.noise(10000, 1);
            source = "generated noise (no MNIST at " + dir + ")";
        }
        PrintWriter out = cl.getOut();
        if ("both".equals(engine)) {
            Bench nd4j = new Bench(data, 1, Engines.named("nd4j")), fused = new Bench(data, 1, Engines.named("fused"));
            Bench.Comparison c = Bench.compare(nd4j, fused, batchSize, inferBatchSize, seconds);
            Bench.Result a = c.first(), b = c.second();
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("nd4j", jsonOf(a, nd4j));
                m.put("fused", jsonOf(b, fused));
                m.put("train_ratio", b.trainImagesPerSecond() / a.trainImagesPerSecond());
                m.put("infer_ratio", b.inferImagesPerSecond() / a.inferImagesPerSecond());
                out.println(Json.line(m));
            } else {
                out.printf(Locale.ROOT, "data        %s%n", source);
                out.printf(Locale.ROOT, "engines     %s%n            %s%n", nd4j.engine(), fused.engine());
                out.printf(Locale.ROOT, "one training step of each in turn, then one inference batch of each; medians%n%n");
                out.printf(Locale.ROOT, "%-22s %12s %12s %12s%n", "", "nd4j", "fused", "fused/nd4j");
                out.printf(Locale.ROOT, "%-22s %,12.0f %,12.0f %11.2fx%n", "training images/s", a.trainImagesPerSecond(),
                        b.trainImagesPerSecond(), b.trainImagesPerSecond() / a.trainImagesPerSecond());
                out.printf(Locale.ROOT, "%-22s %,12.0f %,12.0f %11.2fx%n", "inference images/s", a.inferImagesPerSecond(),
                        b.inferImagesPerSecond(), b.inferImagesPerSecond() / a.inferImagesPerSecond());
                out.printf(Locale.ROOT, "%-22s %12.2f %12.2f%n", "training step ms", a.stepMs(), b.stepMs());
                out.printf(Locale.ROOT, "%-22s %12.2f %12.2f%n", "inference batch ms", a.inferMs(), b.inferMs());
                out.printf(Locale.ROOT, "%-22s %12d %12d%n", "steps timed", a.trainSteps(), b.trainSteps());
                out.printf(Locale.ROOT, "%-22s %12.0f%n%n", "peak RSS MB", a.peakRssMb());
                printTable(out, "nd4j", a);
                out.println();
                printTable(out, "fused", b);
            }
            out.flush();
            return 0;
        }
        Bench bench = single != null ? new Bench(data, 1, single) : new Bench(data, 1);
        Bench.Result r = bench.run(batchSize, inferBatchSize, seconds);
        if (json) {
            out.println(Json.line(jsonOf(r, bench)));
        } else {
            out.printf(Locale.ROOT, "data        %s%n", source);
            out.printf(Locale.ROOT, "engine      %s%n", bench.engine());
            out.printf(Locale.ROOT, "training    %,.0f images/s  (%.2f ms per step of %d, median of %d)%n",
                    r.trainImagesPerSecond(), r.stepMs(), r.batchSize(), r.trainSteps());
            out.printf(Locale.ROOT, "inference   %,.0f images/s  (%.2f ms per batch of %d, median of %d)%n",
                    r.inferImagesPerSecond(), r.inferMs(), r.inferBatchSize(), r.inferBatches());
            out.printf(Locale.ROOT, "peak RSS    %.0f MB%n%n", r.peakRssMb());
            printTable(out, bench.engineUsed().name(), r);
        }
        out.flush();
        return 0;
    }

    private static Map<String, Object> jsonOf(Bench.Result r, Bench bench) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("engine", bench.engineUsed().name());
        m.put("train_images_per_second", r.trainImagesPerSecond());
        m.put("infer_images_per_second", r.inferImagesPerSecond());
        m.put("step_ms", r.stepMs());
        m.put("infer_batch_ms", r.inferMs());
        m.put("peak_rss_mb", r.peakRssMb());
        m.put("batch_size", r.batchSize());
        m.put("infer_batch_size", r.inferBatchSize());
        m.put("train_steps_timed", r.trainSteps());
        m.put("infer_batches_timed", r.inferBatches());
        m.put("kernels", bench.engine());
        m.put("threads", Engines.threads(bench.engineUsed()));
        m.put("layer_columns", r.layerColumns());
        m.put("layer_ms", r.layerMs());
        return m;
    }

    /** The engine's profile: a row per layer (or fused kernel), the columns the engine names. */
    private static void printTable(PrintWriter out, String engine, Bench.Result r) {
        List<String> columns = r.layerColumns();
        out.printf(Locale.ROOT, "%-44s", engine + ": where a training step's time goes");
        for (String c : columns) out.printf(Locale.ROOT, " %10s", c);
        out.println();
        r.layerMs().forEach((name, values) -> {
            out.printf(Locale.ROOT, "%-44s", name);
            for (double v : values) out.print(v == 0 ? String.format(Locale.ROOT, " %10s", "") : String.format(Locale.ROOT, " %10.2f", v));
            out.println();
        });
    }
}
