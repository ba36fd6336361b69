package lenet.engine.nd4j;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import lenet.data.Dataset;
import lenet.engine.Network;
import lenet.engine.Sgd;
import lenet.engine.Trainable;
import lenet.model.Architecture;
import lenet.model.ModelSpec;
import lenet.model.ModelState;
import lenet.nn.LeNet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ND4J engine's training step and scoring pass against today's ({@code nn.LeNet} + {@code optim.Sgd},
 * as {@code train.Trainer} and {@code train.Evaluator} run them), side by side in one JVM: after a
 * warm-up, rounds of S steps of each, the order swapped every round (ABBA), so drift in the machine's
 * load falls on both; then the medians, the median of the per-round ratios, and the engine's
 * per-layer profile beside {@code lenet bench}'s. Both sides start from the same weights, get the same
 * batches, and turn bytes into floats (pixel / 255) the same way inside the timed step.
 *
 * <pre>
 *   mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 *   java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *        lenet.engine.nd4j.StepBenchmark [batch 128] [rounds 15] [steps per round 20]
 * </pre>
 *
 * With MNIST in data/mnist it uses the first 10,000 training images, else noise. ND4J's threads follow
 * OMP_NUM_THREADS (default: the core count), as in {@code lenet train}. With OMP_NUM_THREADS=1 every
 * kernel runs on the calling thread, and the step's CPU time (also printed) measures its work even
 * on a machine that other jobs keep busy, where wall time mostly measures the wait for a core.
 */
public final class StepBenchmark {
    private StepBenchmark() {}

    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 128;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        Path mnist = Path.of("data/mnist");
        Dataset data = Files.isDirectory(mnist) ? Dataset.loadSplit(mnist, "train").limit(10000) : noise(10000);
        System.out.printf(Locale.ROOT, "data %s; batch %d; %d rounds of %d steps each; ND4J threads %d; %s%n",
                Files.isDirectory(mnist) ? "the first 10,000 MNIST training images" : "noise", batch, rounds, steps,
                Nd4j.getEnvironment().maxThreads(), new Nd4jEngine().describe());
        System.out.println("load average before: " + Files.readString(Path.of("/proc/loadavg")).trim());

        ModelSpec spec = Architecture.lenetDefault().spec();
        ModelState start = spec.initialState(new Random(1), 4);
        Sgd sgd = new Sgd(0.9, 1e-4);
        Today today = new Today(start, sgd);
        Trainable engine = new Nd4jEngine().trainable(spec, start, sgd, Map.of());
        Batches batches = new Batches(data, batch);

        for (int i = 0; i < 30; i++) {
            today.step(batches, i, 0.01);
            engineStep(engine, batches, i, 0.01);
        }
        List<Double> todayMs = new ArrayList<>(), engineMs = new ArrayList<>(), ratios = new ArrayList<>();
        List<Double> todayCpu = new ArrayList<>(), engineCpu = new ArrayList<>(), cpuRatios = new ArrayList<>();
        int at = 30;
        for (int r = 0; r < rounds; r++) {
            double[] t = new double[steps], e = new double[steps], tc = new double[steps], ec = new double[steps];
            for (int half = 0; half < 2; half++) {
                boolean todayFirst = r % 2 == 0;
                boolean runToday = (half == 0) == todayFirst;
                for (int s = 0; s < steps; s++) {
                    long cpu = CPU.getCurrentThreadCpuTime();
                    if (runToday) {
                        t[s] = today.step(batches, at + s, 0.01);
                        tc[s] = (CPU.getCurrentThreadCpuTime() - cpu) / 1e6;
                    } else {
                        e[s] = engineStep(engine, batches, at + s, 0.01);
                        ec[s] = (CPU.getCurrentThreadCpuTime() - cpu) / 1e6;
                    }
                }
            }
            at += steps;
            for (int s = 0; s < steps; s++) {
                todayMs.add(t[s]);
                engineMs.add(e[s]);
                todayCpu.add(tc[s]);
                engineCpu.add(ec[s]);
            }
            ratios.add(median(e) / median(t));
            cpuRatios.add(median(ec) / median(tc));
        }
        System.out.printf(Locale.ROOT, "training step, median of %d:  today %.2f ms   engine %.2f ms   engine/today %.3f (median of the %d rounds' ratios %.3f, range %.3f-%.3f)%n",
                todayMs.size(), median(todayMs), median(engineMs), median(engineMs) / median(todayMs), rounds, median(ratios),
                ratios.stream().mapToDouble(Double::doubleValue).min().orElse(0), ratios.stream().mapToDouble(Double::doubleValue).max().orElse(0));
        System.out.printf(Locale.ROOT, "  its CPU time on this thread:  today %.2f ms   engine %.2f ms   engine/today %.3f (median of the rounds' ratios %.3f, range %.3f-%.3f)%n",
                median(todayCpu), median(engineCpu), median(engineCpu) / median(todayCpu), median(cpuRatios),
                cpuRatios.stream().mapToDouble(Double::doubleValue).min().orElse(0), cpuRatios.stream().mapToDouble(Double::doubleValue).max().orElse(0));

        // Scoring: 1000 images a pass, as the evaluator scores the test set.
        Network network = new Nd4jEngine().network(spec, engine.state());
        float[] scored = batches.floats(0, 1000);
        List<Double> todayInfer = new ArrayList<>(), engineInfer = new ArrayList<>(), todayInferCpu = new ArrayList<>(), engineInferCpu = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            today.logits(scored);
            network.logits(scored, 1000);
        }
        for (int r = 0; r < rounds; r++) {
            for (int half = 0; half < 2; half++) {
                long cpu = CPU.getCurrentThreadCpuTime();
                if ((half == 0) == (r % 2 == 0)) {
                    todayInfer.add(time(() -> today.logits(scored)));
                    todayInferCpu.add((CPU.getCurrentThreadCpuTime() - cpu) / 1e6);
                } else {
                    engineInfer.add(time(() -> network.logits(scored, 1000)));
                    engineInferCpu.add((CPU.getCurrentThreadCpuTime() - cpu) / 1e6);
                }
            }
        }
        System.out.printf(Locale.ROOT, "scoring 1000 images, median of %d:  today %.2f ms   engine %.2f ms   engine/today %.3f%n",
                rounds, median(todayInfer), median(engineInfer), median(engineInfer) / median(todayInfer));
        System.out.printf(Locale.ROOT, "  its CPU time on this thread:  today %.2f ms   engine %.2f ms   engine/today %.3f%n",
                median(todayInferCpu), median(engineInferCpu), median(engineInferCpu) / median(todayInferCpu));

        Map<String, double[]> engineLayers = engine.profile(batches.floats(0, batch), batches.labels(0, batch), batch, 20);
        Map<String, double[]> todayLayers = new lenet.train.Bench(data, 1).run(batch, 1000, 1.0).layerMs();
        System.out.printf(Locale.ROOT, "%-34s %17s %17s%n", "per layer, median of 20 (ms)", "today fwd / bwd", "engine fwd / bwd");
        List<String> names = new ArrayList<>(engineLayers.keySet());
        List<double[]> todayRows = new ArrayList<>(todayLayers.values());
        for (int i = 0; i < names.size(); i++) {
            double[] t = i < todayRows.size() ? todayRows.get(i) : new double[2], e = engineLayers.get(names.get(i));
            System.out.printf(Locale.ROOT, "%-34s %8.2f %8.2f %8.2f %8.2f%n", names.get(i), t[0], t[1], e[0], e[1]);
        }
        System.out.println("load average after: " + Files.readString(Path.of("/proc/loadavg")).trim());
    }

    /** The engine's step on batch i, with the bytes turned into floats inside the timed step as Batcher does. */
    private static double engineStep(Trainable engine, Batches batches, int i, double lr) {
        long t = System.nanoTime();
        int n = batches.size;
        engine.step(batches.floats(i * n, n), batches.labels(i * n, n), n, lr);
        return (System.nanoTime() - t) / 1e6;
    }

    /** Today's path, line for line as train.Trainer's inner step and train.Evaluator's forward pass. */
    private static final class Today {
        final LeNet net;
        final lenet.optim.Sgd sgd;
        final lenet.nn.SoftmaxCrossEntropy loss = new lenet.nn.SoftmaxCrossEntropy();

        Today(ModelState start, Sgd s) {
            Map<String, INDArray> arrays = new LinkedHashMap<>();
            start.parameters().forEach((name, a) -> arrays.put(name, Nd4j.create(a.data(), a.shape(), 'c')));
            net = LeNet.fromArrays(LeNet.Activation.SIGMOID, LeNet.Pooling.AVG, arrays);
            net.skipInputGradient();
            sgd = new lenet.optim.Sgd(net.paramBlock(), s.momentum(), s.weightDecay());
        }

        double step(Batches batches, int i, double lr) {
            long t = System.nanoTime();
            int n = batches.size;
            int[] labels = batches.labels(i * n, n);
            try (MemoryWorkspace ws = Arena.open("TODAY_TRAIN")) {
                INDArray x = batch(batches.floats(i * n, n), n);
                loss.forward(net.forward(x), labels);
                loss.correct(labels);
                sgd.zeroGrad();
                net.backward(loss.backward());
                sgd.step(lr);
            }
            return (System.nanoTime() - t) / 1e6;
        }

        /** The forward pass, its logits copied out in one piece as the engine copies them (INDArray.toFloatMatrix, row by row, costs ~25 ms more per 1000). */
        void logits(float[] images) {
            try (MemoryWorkspace ws = Arena.open("TODAY_EVAL")) {
                Arena.floats(net.forward(batch(images, images.length / 784)));
            }
        }

        private static INDArray batch(float[] images, int n) {
            INDArray x = Nd4j.createUninitialized(DataType.FLOAT, n, 1, 28, 28);
            x.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer().put((int) x.offset(), images, 0, n * 784);
            return x;
        }
    }

    /** Batches cycling through the data, made as train.Batcher makes them: byte / 255 in float, into one reused array. */
    private static final class Batches {
        final Dataset data;
        final int size;
        private float[] scratch = new float[0];

        Batches(Dataset data, int size) {
            this.data = data;
            this.size = size;
        }

        float[] floats(int first, int n) {
            if (scratch.length != n * 784) scratch = new float[n * 784];
            byte[] pixels = data.pixels();
            for (int b = 0; b < n; b++) {
                int src = ((first + b) % data.count()) * 784;
                for (int p = 0; p < 784; p++) scratch[b * 784 + p] = (pixels[src + p] & 0xFF) / 255f;
            }
            return scratch;
        }

        int[] labels(int first, int n) {
            int[] y = new int[n];
            for (int b = 0; b < n; b++) y[b] = data.label((first + b) % data.count());
            return y;
        }
    }

    private static Dataset noise(int count) {
        Random rng = new Random(1);
        byte[] pixels = new byte[count * 784], labels = new byte[count];
        rng.nextBytes(pixels);
        for (int i = 0; i < count; i++) labels[i] = (byte) rng.nextInt(10);
        return new Dataset(pixels, labels, count, 28, 28);
    }

    private static double time(Runnable r) {
        long t = System.nanoTime();
        r.run();
        return (System.nanoTime() - t) / 1e6;
    }

    static double median(List<Double> xs) {
        return median(xs.stream().mapToDouble(Double::doubleValue).toArray());
    }

    static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
