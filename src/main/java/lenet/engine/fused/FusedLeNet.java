package lenet.engine.fused;

import java.util.Arrays;
import java.util.Map;
import jdk.incubator.vector.FloatVector;

/**
 * LeNet training and inference on the JDK's vector API, every layer fused into one pass per tile
 * of images: the whole forward pass, the loss and the whole backward pass of L images (L = 16 with
 * AVX-512) run before the next L start, so their activations never leave the core's caches, and
 * each thread takes a fixed share of the batch. See {@link Tile} for the working memory,
 * {@link ConvKernels} and {@link DenseKernels} for the kernels.
 *
 * <p>The network is d2l.ai's LeNet with PyTorch's semantics and parameter names:
 *
 * <pre>
 *   input                           [N, 1, 28, 28]   pixel / 255
 *   conv1  5x5, 1->6, pad 2    act  [N, 6, 28, 28]   act: sigmoid or ReLU
 *   pool   2x2, stride 2            [N, 6, 14, 14]   pool: average or max
 *   conv2  5x5, 6->16          act  [N, 16, 10, 10]
 *   pool   2x2, stride 2            [N, 16, 5, 5]    flattened (c, h, w) to [N, 400]
 *   fc1    400->120            act
 *   fc2    120->84             act
 *   fc3    84->10                   logits
 *   loss   softmax cross-entropy, mean over the batch (PyTorch's F.cross_entropy)
 *   update torch.optim.SGD:  g += weightDecay * p;  v = momentum * v + g;  p -= lr * v
 * </pre>
 *
 * <p>Determinism: for a given thread count, a step's result depends only on its inputs. Each
 * thread's share of the batch and the tiles in it are fixed by the batch size; every sum is taken
 * in a fixed order (lanes in order, then threads in order); e^x is written out so the interpreter
 * and the JIT round alike. So a resumed run is bit for bit the uninterrupted one. Inference is
 * independent even of the thread count and of the other images in the batch: each image's
 * numbers are computed in its own lane with the same arithmetic wherever it falls.
 *
 * <p>Not thread-safe: one caller at a time. {@link #close} stops the worker threads.
 */
public final class FusedLeNet implements AutoCloseable {
    /** The activation after each conv and hidden dense layer. */
    public enum Activation { SIGMOID, RELU }

    /** The 2x2, stride-2 pooling after each conv. */
    public enum Pooling { AVG, MAX }

    /** What a training step measured before its update: the mean loss and how many answers were right. */
    public record StepResult(double loss, int correct) {}

    /** The images' pixels per image: 1 x 28 x 28. */
    public static final int IMAGE_VALUES = ConvKernels.IN * ConvKernels.IN;
    public static final int CLASSES = Tile.F3;

    private final Activation activation;
    private final Pooling pooling;
    private final Params params;
    private final Params velocity;
    private final float momentum;
    private final float weightDecay;
    private final Workers workers;
    private final Tile[] tiles;
    private final Params[] partGradients;

    /**
     * @param params      the ten arrays ({@code conv1.weight} [6,1,5,5] ... {@code fc3.bias} [10]), flat, row-major; copied
     * @param momentum    SGD velocity buffers with the same names (copied); null or missing names start at zero
     * @param momentumFactor  PyTorch's {@code momentum}
     * @param weightDecay PyTorch's {@code weight_decay} (L2, added to the gradient)
     * @param threads     threads that share each batch (results depend on this number, and only on it)
     */
    public FusedLeNet(Activation activation, Pooling pooling, Map<String, float[]> params, Map<String, float[]> momentum,
                      double momentumFactor, double weightDecay, int threads) {
        if (activation == null || pooling == null) throw new IllegalArgumentException("activation and pooling are required");
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        this.activation = activation;
        this.pooling = pooling;
        this.params = Params.copyOf(params, "parameters", false);
        this.velocity = Params.copyOf(momentum, "momentum", true);
        this.momentum = (float) momentumFactor;
        this.weightDecay = (float) weightDecay;
        this.workers = new Workers(threads);
        this.tiles = new Tile[threads];
        this.partGradients = new Params[threads];
        for (int t = 0; t < threads; t++) {
            tiles[t] = new Tile(activation == Activation.SIGMOID, pooling == Pooling.MAX);
            partGradients[t] = new Params();
        }
    }

    /** Images per tile: the vector width in floats (16 with AVX-512, 8 with AVX2). */
    public static int lanes() {
        return VectorMath.LANES;
    }

    /** Which kernels this engine runs, for {@code lenet bench}. */
    public static String describe() {
        return "fused LeNet on the JDK vector API: " + VectorMath.LANES + " images per tile, one per lane ("
                + FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit vectors)";
    }

    /**
     * One training step on images [n, 1, 28, 28] (pixel / 255, row-major) with labels [n]:
     * forward in training mode, softmax cross-entropy averaged over the n images, backward, and one
     * SGD update with learning rate {@code lr}. Returns the loss and the count of right answers
     * before the update. When the loss is not finite the step stops before the update and changes
     * nothing (the caller reports the divergence; the parameters keep their last good numbers).
     */
    public StepResult step(float[] images, int[] labels, int n, double lr) {
        StepResult r = forwardBackward(images, labels, n);
        if (!Double.isFinite(r.loss())) return r;
        update(Math.min(workers.threads(), n), (float) lr);
        return r;
    }

    /** Puts back parameters and velocities taken with {@link #params()} and {@link #momentum()} (after profiling). */
    void restore(Map<String, float[]> parameters, Map<String, float[]> velocities) {
        Params p = Params.copyOf(parameters, "parameters", false), v = Params.copyOf(velocities, "momentum", true);
        for (int a = 0; a < Params.NAMES.size(); a++) {
            System.arraycopy(p.arrays[a], 0, params.arrays[a], 0, p.arrays[a].length);
            System.arraycopy(v.arrays[a], 0, velocity.arrays[a], 0, v.arrays[a].length);
        }
    }

    /** A step's loss, right answers and gradients (summed as the step sums them), without the update. */
    public record Gradients(double loss, int correct, Map<String, float[]> gradients) {}

    /** The loss, right answers and gradient of the mean loss for one batch, as {@link #step} computes them, leaving the parameters as they are. */
    public Gradients gradients(float[] images, int[] labels, int n) {
        StepResult r = forwardBackward(images, labels, n);
        int parts = Math.min(workers.threads(), n);
        Params total = new Params();
        for (int a = 0; a < Params.NAMES.size(); a++) {
            for (int e = 0; e < total.arrays[a].length; e++) total.arrays[a][e] = gradient(parts, a, e);
        }
        return new Gradients(r.loss(), r.correct(), total.toMap());
    }

    /** Forward, loss and backward of the batch; each part's gradient left in {@link #partGradients}. */
    private StepResult forwardBackward(float[] images, int[] labels, int n) {
        checkBatch(images, n);
        if (labels == null || labels.length < n) throw new IllegalArgumentException("need " + n + " labels");
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= CLASSES) throw new IllegalArgumentException("label " + labels[i] + " of image " + i + " is outside 0..9");
        }
        int parts = Math.min(workers.threads(), n);
        double[] loss = new double[parts];
        int[][] correct = new int[parts][1];
        workers.run(parts, p -> {
            Tile tile = tiles[p];
            tile.zeroGradients();
            int from = share(n, parts, p), to = share(n, parts, p + 1);
            for (int first = from; first < to; first += Tile.L) {
                int count = Math.min(Tile.L, to - first);
                tile.startLaps();
                tile.load(images, first, count);
                tile.lap(Tile.Kernel.LOAD);
                tile.forward(params, true);
                loss[p] += tile.seedLoss(labels, first, count, n, correct[p]);
                tile.lap(Tile.Kernel.LOSS);
                tile.backward(params);
            }
            tile.startLaps();
            tile.reduceInto(partGradients[p].arrays);
            tile.lap(Tile.Kernel.LANE_SUMS);
        });
        double lossSum = 0;
        int right = 0;
        for (int p = 0; p < parts; p++) {
            lossSum += loss[p];
            right += correct[p][0];
        }
        return new StepResult(lossSum / n, right);
    }

    /** Element e of parameter a's gradient: the parts' gradients added in part order. */
    private float gradient(int parts, int a, int e) {
        float g = partGradients[0].arrays[a][e];
        for (int t = 1; t < parts; t++) g += partGradients[t].arrays[a][e];
        return g;
    }

    /**
     * Where a training step's time goes: runs {@code steps} steps (they update the parameters) and
     * returns, for each part of the work in the order it runs, {median ms per step, GFLOP/s}. The
     * ms of a part that runs on every thread is its time per thread (the threads run side by side);
     * GFLOP/s is the whole batch's floating-point work of that part over that time (0 for parts
     * that are not multiply-adds). The last row is the update (gradients added across threads, SGD).
     */
    public Map<String, double[]> profile(float[] images, int[] labels, int n, double lr, int steps) {
        Tile.Kernel[] kernels = Tile.Kernel.values();
        int parts = Math.min(workers.threads(), n);
        double[][] ms = new double[kernels.length + 1][steps];
        for (int s = 0; s < steps; s++) {
            long[][] nanos = new long[parts][kernels.length];
            for (int p = 0; p < parts; p++) tiles[p].profile(nanos[p]);
            try {
                forwardBackward(images, labels, n);
            } finally {
                for (int p = 0; p < parts; p++) tiles[p].profile(null);
            }
            long t = System.nanoTime();
            update(parts, (float) lr);
            ms[kernels.length][s] = (System.nanoTime() - t) / 1e6;
            for (int k = 0; k < kernels.length; k++) {
                long total = 0;
                for (int p = 0; p < parts; p++) total += nanos[p][k];
                ms[k][s] = total / 1e6 / parts;
            }
        }
        Map<String, double[]> table = new java.util.LinkedHashMap<>();
        for (int k = 0; k < kernels.length; k++) {
            double m = median(ms[k]);
            table.put(kernels[k].label, new double[] {m, m > 0 ? kernels[k].flopsPerImage * (double) n / (m * 1e6) : 0});
        }
        table.put("update: sum across threads, SGD", new double[] {median(ms[kernels.length]), 0});
        return table;
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /**
     * The machine's measured limit for this engine's arithmetic: fused multiply-adds on whole
     * vectors, twelve independent chains in registers (no memory traffic), on each of the engine's
     * threads at once for about {@code seconds}, after a warm-up; in GFLOP/s (a multiply-add counts
     * two), all threads together. The kernels' GFLOP/s in {@link #profile} compare against it.
     */
    public double peakGflops(double seconds) {
        int parts = workers.threads();
        double[] rate = new double[parts];
        // Warm-up: many short calls get the loop compiled (interpreted, one round of it takes
        // some 80 microseconds, so a long first call would take seconds to reach compiled code),
        // then rounds of growing length until one takes 50 ms and the rate stops rising.
        for (int i = 0; i < 20_000; i++) fmaNanos(1);
        long iterations = 1 << 12;
        double best = 0;
        for (int round = 0, flat = 0; round < 40 && flat < 3; round++) {
            long n = iterations;
            long[] nanos = new long[parts];
            workers.run(parts, p -> nanos[p] = fmaNanos(n));
            double total = 0;
            for (int p = 0; p < parts; p++) total += flops(n) / nanos[p];
            if (nanos[0] < 50_000_000) iterations *= 2;
            flat = total > best * 1.05 ? 0 : flat + 1;
            best = Math.max(best, total);
        }
        long n = Math.max(1, (long) (iterations * seconds / 0.05));
        long[] nanos = new long[parts];
        workers.run(parts, p -> nanos[p] = fmaNanos(n));
        double total = 0;
        for (int p = 0; p < parts; p++) total += flops(n) / nanos[p];
        return Math.max(total, best);
    }

    private static double flops(long iterations) {
        return iterations * 12.0 * VectorMath.LANES * 2;
    }

    /** Nanoseconds for {@code iterations} rounds of twelve independent vector multiply-adds. */
    private static long fmaNanos(long iterations) {
        FloatVector m = FloatVector.broadcast(VectorMath.SPECIES, 0.999f);
        FloatVector a0 = FloatVector.zero(VectorMath.SPECIES), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        FloatVector a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        long start = System.nanoTime();
        for (long i = 0; i < iterations; i++) {
            a0 = a0.fma(m, m); a1 = a1.fma(m, m); a2 = a2.fma(m, m); a3 = a3.fma(m, m); a4 = a4.fma(m, m); a5 = a5.fma(m, m);
            a6 = a6.fma(m, m); a7 = a7.fma(m, m); a8 = a8.fma(m, m); a9 = a9.fma(m, m); a10 = a10.fma(m, m); a11 = a11.fma(m, m);
        }
        long nanos = System.nanoTime() - start;
        float sink = a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11).lane(0);
        return sink == 42f ? nanos + 1 : nanos; // the sums stay alive
    }

    /** The first image of part p of n images split into {@code parts} nearly equal runs. */
    private static int share(int n, int parts, int p) {
        return (int) ((long) n * p / parts);
    }

    /**
     * The gradient is the sum of the parts' gradients, part 0 first; then PyTorch's SGD, each
     * product rounded to float as the ND4J optimizer rounds it:
     * g = g + wd * p;  v = momentum * v + g;  p = p - lr * v.
     */
    private void update(int parts, float lr) {
        int lanes = VectorMath.LANES;
        for (int a = 0; a < Params.NAMES.size(); a++) {
            float[] p = params.arrays[a], v = velocity.arrays[a];
            int e = 0;
            // L elements at a time: each lane does exactly the scalar loop's float operations
            // (no fused multiply-add), so both give the same bits.
            for (; e <= p.length - lanes; e += lanes) {
                FloatVector g = FloatVector.fromArray(VectorMath.SPECIES, partGradients[0].arrays[a], e);
                for (int t = 1; t < parts; t++) g = g.add(FloatVector.fromArray(VectorMath.SPECIES, partGradients[t].arrays[a], e));
                FloatVector pv = FloatVector.fromArray(VectorMath.SPECIES, p, e);
                g = g.add(pv.mul(weightDecay));
                FloatVector vv = FloatVector.fromArray(VectorMath.SPECIES, v, e).mul(momentum).add(g);
                vv.intoArray(v, e);
                pv.sub(vv.mul(lr)).intoArray(p, e);
            }
            for (; e < p.length; e++) {
                float g = gradient(parts, a, e) + weightDecay * p[e];
                v[e] = momentum * v[e] + g;
                p[e] = p[e] - lr * v[e];
            }
        }
    }

    /** The logits [n, 10] of images [n, 1, 28, 28] (pixel / 255), in eval mode. */
    public float[] logits(float[] images, int n) {
        checkBatch(images, n);
        float[] out = new float[n * CLASSES];
        int tileCount = (n + Tile.L - 1) / Tile.L;
        int parts = Math.min(workers.threads(), tileCount);
        workers.run(parts, p -> {
            Tile tile = tiles[p];
            for (int t = share(tileCount, parts, p); t < share(tileCount, parts, p + 1); t++) {
                int first = t * Tile.L, count = Math.min(Tile.L, n - first);
                tile.load(images, first, count);
                tile.forward(params, false);
                float[] z = tile.logits();
                for (int i = 0; i < count; i++) {
                    for (int k = 0; k < CLASSES; k++) out[(first + i) * CLASSES + k] = z[k * Tile.L + i];
                }
            }
        });
        return out;
    }

    private static void checkBatch(float[] images, int n) {
        if (n < 1) throw new IllegalArgumentException("a batch needs at least one image, got " + n);
        if (images == null || images.length < (long) n * IMAGE_VALUES) {
            throw new IllegalArgumentException(n + " images need " + (long) n * IMAGE_VALUES + " values, got " + (images == null ? 0 : images.length));
        }
    }

    /** Copies of the current parameters, keyed by PyTorch name, in state_dict order. */
    public Map<String, float[]> params() {
        return params.toMap();
    }

    /** Copies of the SGD velocity buffers, keyed by parameter name. */
    public Map<String, float[]> momentum() {
        return velocity.toMap();
    }

    public Activation activation() {
        return activation;
    }

    public Pooling pooling() {
        return pooling;
    }

    public int threads() {
        return workers.threads();
    }

    @Override
    public void close() {
        workers.close();
    }
}
