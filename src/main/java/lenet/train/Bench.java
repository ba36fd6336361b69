package lenet.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import lenet.data.Dataset;
import lenet.engine.Engine;
import lenet.engine.Engines;
import lenet.engine.Network;
import lenet.engine.Sgd;
import lenet.engine.Trainable;
import lenet.model.Architecture;
import lenet.model.LeNet;
import lenet.model.ModelSpec;

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
            Map<String, double[]> layerMs) {}

    private final Engine engine;
    private final Trainable model;
    private final Network network;
    private final Batcher batcher;
    private final int count;

    /** Times training on {@code data}'s images, cycling through them, with the default LeNet initialised from {@code seed}. */
    public Bench(Dataset data, long seed) {
        this.batcher = new Batcher(data);
        this.count = data.count();
        ModelSpec spec = Architecture.lenetDefault().spec();
        this.engine = Engines.forTraining(spec);
        var state = spec.initialState(new Random(seed), 1.0);
        this.model = engine.trainable(spec, state, new Sgd(0.9, 1e-4), Map.of());
        this.network = engine.network(spec, state);
    }

    /** What runs the network: the training engine's own description. */
    public String engine() {
        return engine.describe();
    }

    /** {@code count} noise images with random labels, when no data is at hand. */
    public static Bench generated(int count, long seed) {
        Random rng = new Random(seed);
        int side = LeNet.INPUT_SHAPE[1];
        byte[] pixels = new byte[count * side * side];
        rng.nextBytes(pixels);
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) labels[i] = (byte) rng.nextInt(LeNet.CLASSES);
        return new Bench(new Dataset(pixels, labels, count, side, side), seed);
    }

    private int[] order(int first, int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = (first + i) % count;
        return order;
    }

    /** One training step, as the trainer runs it; returns its wall time in ms. */
    private double trainStep(int first, int n) {
        long t = System.nanoTime();
        int[] order = order(first, n);
        model.step(batcher.images(order, 0, n), batcher.labels(order, 0, n), n, 0.01);
        return (System.nanoTime() - t) / 1e6;
    }

    /** One batch of inference (eval mode, as scoring runs it); its wall time in ms. */
    private double inferBatch(int first, int n) {
        long t = System.nanoTime();
        network.logits(batcher.images(order(first, n), 0, n), n);
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

    /** Median forward and backward ms of each layer (and of the loss and optimizer) over {@code reps} steps: the engine's own profile. */
    private Map<String, double[]> profile(int n, int reps) {
        int[] order = order(0, n);
        return model.profile(batcher.images(order, 0, n).clone(), batcher.labels(order, 0, n), n, reps);
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
