package lenet.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import lenet.data.Dataset;
import lenet.engine.fused.FusedLeNet;
import lenet.nn.Layer;
import lenet.nn.LeNet;
import lenet.nn.SoftmaxCrossEntropy;
import lenet.optim.Sgd;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times LeNet training steps and inference the way training and evaluation run them (the same
 * layers, optimizer and per-step workspace), after a warm-up, and reports medians.
 */
public final class Bench {
    /** What was measured. Times are medians over the measured repetitions. */
    public record Result(
            int batchSize,
            int inferBatchSize,
            double stepMs,
            double trainImagesPerSecond,
            double inferMs,
            double inferImagesPerSecond,
            int trainSteps,
            int inferBatches,
            double peakRssMb,
            Map<String, double[]> layerMs,
            double peakGflops) {
        /** Without a measured arithmetic peak (the ND4J engine's figures). */
        public Result(int batchSize, int inferBatchSize, double stepMs, double trainImagesPerSecond, double inferMs, double inferImagesPerSecond,
                      int trainSteps, int inferBatches, double peakRssMb, Map<String, double[]> layerMs) {
            this(batchSize, inferBatchSize, stepMs, trainImagesPerSecond, inferMs, inferImagesPerSecond, trainSteps, inferBatches, peakRssMb, layerMs, Double.NaN);
        }
    }

    private final LeNet model;
    private final Sgd sgd;
    private final SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
    private final Batcher batcher;
    private final int count;
    private final Dataset data;

    /** Times training on {@code data}'s images, cycling through them, with a LeNet initialised from {@code seed}. */
    public Bench(Dataset data, long seed) {
        this.batcher = new Batcher(data);
        this.count = data.count();
        this.data = data;
        this.model = LeNet.create(LeNet.Activation.SIGMOID, LeNet.Pooling.AVG, new Random(seed));
        this.model.skipInputGradient(); // as the trainer does
        this.sgd = new Sgd(model.paramBlock(), 0.9, 1e-4);
    }

    /** {@code count} noise images with random labels, when no data is at hand. */
    public static Bench generated(int count, long seed) {
        Random rng = new Random(seed);
        byte[] pixels = new byte[count * LeNet.IMAGE_SIZE * LeNet.IMAGE_SIZE];
        rng.nextBytes(pixels);
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) labels[i] = (byte) rng.nextInt(LeNet.CLASSES);
        return new Bench(new Dataset(pixels, labels, count, LeNet.IMAGE_SIZE, LeNet.IMAGE_SIZE), seed);
    }

    /** Images first, first+1, ... (wrapping around), made into a batch exactly as training makes them. */
    private INDArray batch(int first, int n) {
        return batcher.images(order(first, n), 0, n);
    }

    private int[] batchLabels(int first, int n) {
        return batcher.labels(order(first, n), 0, n);
    }

    private int[] order(int first, int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = (first + i) % count;
        return order;
    }

    /** One training step, as the trainer runs it; returns its wall time in ms. */
    private double trainStep(int first, int n) {
        long t = System.nanoTime();
        int[] y = batchLabels(first, n);
        try (MemoryWorkspace ws = Workspaces.step("BENCH_TRAIN")) {
            loss.forward(model.forward(batch(first, n)), y);
            sgd.zeroGrad();
            model.backward(loss.backward());
            sgd.step(0.01);
        }
        return (System.nanoTime() - t) / 1e6;
    }

    private double inferBatch(int first, int n) {
        long t = System.nanoTime();
        try (MemoryWorkspace ws = Workspaces.step("BENCH_INFER")) {
            model.forward(batch(first, n)).sumNumber(); // sumNumber waits for the result
        }
        return (System.nanoTime() - t) / 1e6;
    }

    /**
     * Warm-up, then training steps and inference batches for about {@code seconds} each, then a
     * per-layer profile of a few steps.
     */
    public Result run(int batchSize, int inferBatchSize, double seconds) {
        for (int i = 0; i < 10; i++) trainStep(i * batchSize, batchSize);
        for (int i = 0; i < 3; i++) inferBatch(i * inferBatchSize, inferBatchSize);

        List<Double> steps = new ArrayList<>();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        for (int i = 0; System.nanoTime() < end || steps.size() < 5; i++) steps.add(trainStep(i * batchSize, batchSize));
        List<Double> infers = new ArrayList<>();
        end = System.nanoTime() + (long) (seconds * 1e9);
        for (int i = 0; System.nanoTime() < end || infers.size() < 5; i++) infers.add(inferBatch(i * inferBatchSize, inferBatchSize));

        double stepMs = median(steps);
        double inferMs = median(infers);
        return new Result(batchSize, inferBatchSize, stepMs, batchSize / stepMs * 1000, inferMs, inferBatchSize / inferMs * 1000,
                steps.size(), infers.size(), Memory.peakRssMb(), profile(batchSize, 20));
    }

    // ---------------------------------------------------------------- the fused engine

    /** The fused engine (lenet.engine.fused) holding this bench's initial weights, with the same SGD settings. */
    private FusedLeNet fused(int threads) {
        Map<String, float[]> weights = new LinkedHashMap<>();
        for (lenet.nn.Param p : model.params()) weights.put(p.name(), p.value().dup('c').data().asFloat());
        return new FusedLeNet(FusedLeNet.Activation.SIGMOID, FusedLeNet.Pooling.AVG, weights, null, 0.9, 1e-4, threads);
    }

    /** Images first, first+1, ... (wrapping around) as the fused engine takes them: [n, 28, 28], pixel / 255, as Batcher makes them. */
    private float[] floatBatch(int first, int n, float[] into) {
        int pixels = data.pixelsPerImage();
        float[] x = into != null && into.length >= n * pixels ? into : new float[n * pixels];
        byte[] source = data.pixels();
        for (int i = 0; i < n; i++) {
            int src = ((first + i) % count) * pixels;
            for (int k = 0; k < pixels; k++) x[i * pixels + k] = (source[src + k] & 0xFF) / 255f;
        }
        return x;
    }

    private float[] fusedImages = new float[0];

    private double fusedTrainStep(FusedLeNet net, int first, int n) {
        long t = System.nanoTime();
        fusedImages = floatBatch(first, n, fusedImages);
        net.step(fusedImages, batchLabels(first, n), n, 0.01);
        return (System.nanoTime() - t) / 1e6;
    }

    private double fusedInferBatch(FusedLeNet net, int first, int n) {
        long t = System.nanoTime();
        fusedImages = floatBatch(first, n, fusedImages);
        net.logits(fusedImages, n);
        return (System.nanoTime() - t) / 1e6;
    }

    /** As {@link #run}, on the fused engine with {@code threads} threads; the table is its kernels'. */
    public Result runFused(int batchSize, int inferBatchSize, double seconds, int threads) {
        try (FusedLeNet net = fused(threads)) {
            for (int i = 0; i < 30; i++) fusedTrainStep(net, i * batchSize, batchSize);
            for (int i = 0; i < 10; i++) fusedInferBatch(net, i * inferBatchSize, inferBatchSize);
            List<Double> steps = new ArrayList<>();
            long end = System.nanoTime() + (long) (seconds * 1e9);
            for (int i = 0; System.nanoTime() < end || steps.size() < 5; i++) steps.add(fusedTrainStep(net, i * batchSize, batchSize));
            List<Double> infers = new ArrayList<>();
            end = System.nanoTime() + (long) (seconds * 1e9);
            for (int i = 0; System.nanoTime() < end || infers.size() < 5; i++) infers.add(fusedInferBatch(net, i * inferBatchSize, inferBatchSize));
            double stepMs = median(steps), inferMs = median(infers);
            return new Result(batchSize, inferBatchSize, stepMs, batchSize / stepMs * 1000, inferMs, inferBatchSize / inferMs * 1000,
                    steps.size(), infers.size(), Memory.peakRssMb(), fusedProfile(net, batchSize), net.peakGflops(0.5));
        }
    }

    /** The fused engine's kernels: {median ms per step, GFLOP/s} over 20 steps (see FusedLeNet.profile). */
    private Map<String, double[]> fusedProfile(FusedLeNet net, int n) {
        float[] x = floatBatch(0, n, null);
        return net.profile(x, batchLabels(0, n), n, 0.01, 20);
    }

    /** Both engines timed step by step in turn (ND4J, fused, ND4J, ...), so both see the same machine load. */
    public record Comparison(Result nd4j, Result fused) {}

    /**
     * The ND4J engine (as {@link #run}) and the fused engine, alternating one training step of each
     * for about {@code seconds}, then one inference batch of each for as long; medians of each.
     */
    public Comparison compare(int batchSize, int inferBatchSize, double seconds, int threads) {
        try (FusedLeNet net = fused(threads)) {
            for (int i = 0; i < 30; i++) {
                trainStep(i * batchSize, batchSize);
                fusedTrainStep(net, i * batchSize, batchSize);
            }
            for (int i = 0; i < 5; i++) {
                inferBatch(i * inferBatchSize, inferBatchSize);
                fusedInferBatch(net, i * inferBatchSize, inferBatchSize);
            }
            List<Double> steps = new ArrayList<>(), fusedSteps = new ArrayList<>();
            long end = System.nanoTime() + (long) (seconds * 1e9);
            for (int i = 0; System.nanoTime() < end || steps.size() < 5; i++) {
                steps.add(trainStep(i * batchSize, batchSize));
                fusedSteps.add(fusedTrainStep(net, i * batchSize, batchSize));
            }
            List<Double> infers = new ArrayList<>(), fusedInfers = new ArrayList<>();
            end = System.nanoTime() + (long) (seconds * 1e9);
            for (int i = 0; System.nanoTime() < end || infers.size() < 5; i++) {
                infers.add(inferBatch(i * inferBatchSize, inferBatchSize));
                fusedInfers.add(fusedInferBatch(net, i * inferBatchSize, inferBatchSize));
            }
            double peak = Memory.peakRssMb();
            double stepMs = median(steps), inferMs = median(infers), fStepMs = median(fusedSteps), fInferMs = median(fusedInfers);
            Result nd4j = new Result(batchSize, inferBatchSize, stepMs, batchSize / stepMs * 1000, inferMs, inferBatchSize / inferMs * 1000,
                    steps.size(), infers.size(), peak, profile(batchSize, 20));
            Result fused = new Result(batchSize, inferBatchSize, fStepMs, batchSize / fStepMs * 1000, fInferMs, inferBatchSize / fInferMs * 1000,
                    fusedSteps.size(), fusedInfers.size(), peak, fusedProfile(net, batchSize), net.peakGflops(0.5));
            return new Comparison(nd4j, fused);
        }
    }

    /** Median forward and backward ms of each layer (and of the loss and optimizer) over {@code reps} steps. */
    private Map<String, double[]> profile(int n, int reps) {
        List<Layer> layers = model.layers();
        double[][] fwd = new double[layers.size() + 2][reps];
        double[][] bwd = new double[layers.size() + 2][reps];
        for (int r = 0; r < reps; r++) {
            int[] y = batchLabels(r * n, n);
            try (MemoryWorkspace ws = Workspaces.step("BENCH_PROFILE")) {
                INDArray x = batch(r * n, n);
                for (int i = 0; i < layers.size(); i++) {
                    long t = System.nanoTime();
                    x = layers.get(i).forward(x);
                    x.sumNumber();
                    fwd[i][r] = (System.nanoTime() - t) / 1e6;
                }
                long t = System.nanoTime();
                loss.forward(x, y);
                INDArray d = loss.backward();
                d.sumNumber();
                fwd[layers.size()][r] = (System.nanoTime() - t) / 1e6;
                sgd.zeroGrad();
                for (int i = layers.size() - 1; i >= 0; i--) {
                    t = System.nanoTime();
                    d = layers.get(i).backward(d);
                    if (d != null) d.sumNumber();
                    bwd[i][r] = (System.nanoTime() - t) / 1e6;
                }
                t = System.nanoTime();
                sgd.step(0.01);
                model.params().get(0).value().sumNumber();
                bwd[layers.size() + 1][r] = (System.nanoTime() - t) / 1e6;
            }
        }
        Map<String, double[]> table = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) table.put((i + 1) + " " + layers.get(i).describe(), new double[] {median(fwd[i]), median(bwd[i])});
        table.put("loss (softmax cross-entropy)", new double[] {median(fwd[layers.size()]), 0});
        table.put("sgd step", new double[] {0, median(bwd[layers.size() + 1])});
        return table;
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
