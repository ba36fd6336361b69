package lenet.cli;

import java.io.PrintWriter;
import lenet.engine.Engines;
import lenet.io.Json;
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

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        if (batchSize < 1 || batchSize > 65536) throw new ParameterException(cl, "--batch-size must be between 1 and 65536, was " + batchSize);
        if (inferBatchSize < 1 || inferBatchSize > 65536) throw new ParameterException(cl, "--infer-batch-size must be between 1 and 65536, was " + inferBatchSize);
        if (!(seconds > 0 && seconds <= 3600)) throw new ParameterException(cl, "--seconds must be above 0 and at most 3600, was " + seconds);
        threads.check(cl);
        threads.apply();

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
        Bench.Result r = bench.run(batchSize, inferBatchSize, seconds);

        PrintWriter out = cl.getOut();
        if (json) {
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
            m.put("kernels", bench.engine());
            m.put("threads", Engines.threads());
            m.put("layer_ms", r.layerMs());
            out.println(Json.line(m));
        } else {
            out.printf(Locale.ROOT, "data        %s%n", source);
            out.printf(Locale.ROOT, "engine      %s%n", bench.engine());
            out.printf(Locale.ROOT, "training    %,.0f images/s  (%.2f ms per step of %d, median of %d)%n",
                    r.trainImagesPerSecond(), r.stepMs(), r.batchSize(), r.trainSteps());
            out.printf(Locale.ROOT, "inference   %,.0f images/s  (%.2f ms per batch of %d, median of %d)%n",
                    r.inferImagesPerSecond(), r.inferMs(), r.inferBatchSize(), r.inferBatches());
            out.printf(Locale.ROOT, "peak RSS    %.0f MB%n%n", r.peakRssMb());
            out.printf(Locale.ROOT, "%-36s %10s %10s%n", "where a training step's time goes", "fwd ms", "bwd ms");
            r.layerMs().forEach((name, ms) -> out.printf(Locale.ROOT, "%-36s %10.2f %10.2f%n", name, ms[0], ms[1]));
        }
        out.flush();
        return 0;
    }
}
