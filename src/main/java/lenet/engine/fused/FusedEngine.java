package lenet.engine.fused;

import java.util.Arrays;
import java.util.Map;
import java.util.function.IntSupplier;
import lenet.engine.Engine;
import lenet.engine.Network;
import lenet.engine.Sgd;
import lenet.engine.Trainable;
import lenet.io.NdArray;
import lenet.model.Architecture;
import lenet.model.LeNet;
import lenet.model.ModelSpec;
import lenet.model.ModelState;
import lenet.model.Norm;

/**
 * The fused engine: {@link FusedLeNet}, LeNet's whole training step and inference fused per tile
 * of images on the JDK vector API, without ND4J. It runs exactly the four LeNets without batch
 * norm (sigmoid or ReLU, average or max pooling), and only in a JVM started with
 * {@code --add-modules jdk.incubator.vector} on a CPU whose vectors hold at least
 * {@value #MIN_LANES} floats. This class names no vector type, so it loads without the module.
 *
 * <p>Results depend on the thread count (the gradient's sums are taken per thread, then across
 * threads in order): a run resumed with the same number of threads is bit for bit the run that
 * never stopped.
 */
public final class FusedEngine implements Engine {
    /** Fewest float lanes (256-bit vectors) for which this engine offers itself. */
    static final int MIN_LANES = 8;
    private static final boolean MODULE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private final IntSupplier threads;

    /** @param threads how many threads each network or trainable made from now on uses (read when it is made) */
    public FusedEngine(IntSupplier threads) {
        this.threads = threads;
    }

    /** True when this JVM and CPU can run the engine at all. */
    public static boolean available() {
        return MODULE && FusedLeNet.lanes() >= MIN_LANES;
    }

    @Override
    public String name() {
        return "fused";
    }

    @Override
    public String describe() {
        if (!MODULE) return "fused: unavailable (Java was started without --add-modules jdk.incubator.vector)";
        return "fused: " + FusedLeNet.describe() + ", " + threads() + " threads; no ND4J";
    }

    /** How many threads a network or trainable made now would use. */
    public int threads() {
        return Math.max(1, threads.getAsInt());
    }

    /** The four LeNets without batch norm, when {@link #available()}. */
    @Override
    public boolean supports(ModelSpec spec) {
        if (!available()) return false;
        Architecture a = spec.architecture();
        if (a.norm() != Norm.NONE || !LeNet.NAME.equals(a.name())) return false;
        return Arrays.equals(spec.inputShape(), LeNet.INPUT_SHAPE) && spec.classes() == FusedLeNet.CLASSES
                && spec.layers().equals(Architecture.lenet(a.activation(), a.pooling(), Norm.NONE).spec().layers());
    }

    @Override
    public Network network(ModelSpec spec, ModelState state) {
        return new FusedNetwork(spec, state, open(spec, state, null, new Sgd(0, 0)));
    }

    @Override
    public Trainable trainable(ModelSpec spec, ModelState state, Sgd sgd, Map<String, NdArray> optimizerState) {
        return new FusedTrainable(spec, open(spec, state, optimizerState, sgd));
    }

    private FusedLeNet open(ModelSpec spec, ModelState state, Map<String, NdArray> optimizerState, Sgd sgd) {
        if (!supports(spec)) throw new IllegalArgumentException("the fused engine does not run " + spec.title() + "; " + describe());
        Map<String, float[]> params = new java.util.LinkedHashMap<>();
        state.parameters().forEach((name, a) -> params.put(name, a.data()));
        Map<String, float[]> momentum = new java.util.LinkedHashMap<>();
        if (optimizerState != null) {
            for (var e : optimizerState.entrySet()) {
                String key = e.getKey();
                String name = key.startsWith(Sgd.STATE_PREFIX) ? key.substring(Sgd.STATE_PREFIX.length()) : null;
                NdArray param = name == null ? null : state.parameters().get(name);
                if (param == null) throw new IllegalArgumentException("optimizer state '" + key + "' belongs to no parameter of " + spec.title());
                if (!Arrays.equals(e.getValue().shape(), param.shape())) {
                    throw new IllegalArgumentException("optimizer state '" + key + "' has shape " + Arrays.toString(e.getValue().shape())
                            + ", the parameter has " + Arrays.toString(param.shape()) + "; was it saved from another network?");
                }
                momentum.put(name, e.getValue().data()); // a velocity not saved starts at zero, as PyTorch's
            }
        }
        FusedLeNet.Activation act = FusedLeNet.Activation.valueOf(spec.architecture().activation().name());
        FusedLeNet.Pooling pool = FusedLeNet.Pooling.valueOf(spec.architecture().pooling().name());
        return new FusedLeNet(act, pool, params, momentum, sgd.momentum(), sgd.weightDecay(), threads());
    }

    /** Throws unless {@code input} holds {@code n} images and {@code labels} (when given) n classes. */
    static void checkBatch(ModelSpec spec, float[] input, int[] labels, int n) {
        int size = spec.inputSize(), classes = spec.classes();
        if (n < 1 || input.length != (long) n * size) throw new IllegalArgumentException(input.length + " input values for " + n + " samples of " + size);
        if (labels == null) return;
        if (labels.length != n) throw new IllegalArgumentException(labels.length + " labels for " + n + " samples");
        for (int s = 0; s < n; s++) {
            if (labels[s] < 0 || labels[s] >= classes) throw new IllegalArgumentException("label " + labels[s] + " of sample " + s + " is not a class 0.." + (classes - 1));
        }
    }
}
