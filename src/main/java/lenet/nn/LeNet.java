package lenet.nn;

import lenet.model.Window;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * LeNet-5 as in d2l.ai (and LeCun et al. 1998, with a dense output layer), on 1x28x28 images:
 *
 * <pre>
 *   input                          [N, 1, 28, 28]
 *   conv1  5x5, 1->6, pad 2   act  [N, 6, 28, 28]
 *   pool   2x2, stride 2           [N, 6, 14, 14]
 *   conv2  5x5, 6->16         act  [N, 16, 10, 10]
 *   pool   2x2, stride 2           [N, 16, 5, 5]
 *   flatten                        [N, 400]        (C, H, W order, as PyTorch)
 *   fc1    400->120           act  [N, 120]
 *   fc2    120->84            act  [N, 84]
 *   fc3    84->10                  [N, 10]         logits; softmax lives in the loss
 * </pre>
 *
 * Parameter names and layouts are PyTorch's ({@code conv1.weight} [6,1,5,5], ..., {@code fc3.bias} [10]),
 * so {@code state_dict()} arrays load here unchanged and back.
 */
public final class LeNet extends Sequential {
    /** The activation after each conv and hidden dense layer. */
    public enum Activation {
        SIGMOID, RELU;

        Layer create() {
            return this == SIGMOID ? new Sigmoid(true) : new ReLU();
        }

        public String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The subsampling after each conv layer. */
    public enum Pooling {
        AVG, MAX;

        Layer create() {
            Window w = Window.square(2, 2, 0);
            return this == AVG ? new AvgPool2d(w) : new MaxPool2d(w);
        }

        public String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The PyTorch names and shapes of the ten parameter arrays, in order. */
    public static final Map<String, long[]> PARAM_SHAPES = orderedShapes();

    /** The weight of the output layer, whose outputs are the logits. */
    private static final String OUTPUT_WEIGHT = "fc3.weight";

    public static final int IMAGE_SIZE = 28;
    public static final int CLASSES = 10;

    private final Activation activation;
    private final Pooling pooling;
    private final ParamBlock block;

    private LeNet(Activation activation, Pooling pooling, ParamBlock block, List<Layer> layers) {
        super(layers);
        this.activation = activation;
        this.pooling = pooling;
        this.block = block;
    }

    /** A new network: Xavier-uniform weights drawn from {@code rng} in parameter order, zero biases. */
    public static LeNet create(Activation activation, Pooling pooling, Random rng) {
        return create(activation, pooling, rng, 1.0);
    }

    /** The same with the Xavier bound times {@code initGain} (see {@link Init#xavierUniform(Random, double, long...)}). */
    public static LeNet create(Activation activation, Pooling pooling, Random rng, double initGain) {
        return build(activation, pooling, name -> null, rng, initGain);
    }

    /**
     * A network holding the given arrays, keyed by PyTorch name; every one of the ten must be present
     * with its shape (checked by the caller, see {@link #PARAM_SHAPES}).
     */
    public static LeNet fromArrays(Activation activation, Pooling pooling, Map<String, INDArray> arrays) {
        for (String name : PARAM_SHAPES.keySet()) {
            if (!arrays.containsKey(name)) throw new IllegalArgumentException("missing array " + name);
        }
        return build(activation, pooling, arrays::get, null, 1.0);
    }

    private static LeNet build(Activation act, Pooling pool, java.util.function.Function<String, INDArray> given, Random rng, double initGain) {
        // Every parameter is a view into one block, so the optimizer can update them all at once.
        // New weights are drawn in parameter order (conv1, conv2, fc1, fc2, fc3); biases start at zero.
        // The gain is for the layers whose outputs go through the activation (Glorot and Bengio's x4 is
        // for a sigmoid's input); fc3's outputs are the logits, which go through the softmax, so fc3
        // starts from plain Xavier. With x4 there too, the first logits are so large that the loss starts
        // near 3 and a short run at lr 0.5 blew up (1 epoch of 20,000 images: 9.6%; with plain Xavier
        // for fc3: 91.9%).
        INDArray first = given.apply("conv1.weight");
        ParamBlock block = new ParamBlock(PARAM_SHAPES, first == null ? DataType.FLOAT : first.dataType());
        for (Map.Entry<String, long[]> e : PARAM_SHAPES.entrySet()) {
            INDArray value = given.apply(e.getKey());
            if (value == null && e.getKey().endsWith(".weight")) {
                value = Init.xavierUniform(rng, e.getKey().equals(OUTPUT_WEIGHT) ? 1.0 : initGain, e.getValue());
            }
            if (value != null) block.param(e.getKey()).value().assign(value.reshape(e.getValue()));
        }
        return new LeNet(act, pool, block, List.of(
                new Conv2d(1, 6, Window.square(5, 1, 2), block.param("conv1.weight"), block.param("conv1.bias")), act.create(), pool.create(),
                new Conv2d(6, 16, Window.square(5, 1, 0), block.param("conv2.weight"), block.param("conv2.bias")), act.create(), pool.create(),
                new Flatten(),
                new Linear(block.param("fc1.weight"), block.param("fc1.bias")), act.create(),
                new Linear(block.param("fc2.weight"), block.param("fc2.bias")), act.create(),
                new Linear(block.param("fc3.weight"), block.param("fc3.bias"))));
    }

    /** The ten parameters as views into one value and one gradient array (see {@link ParamBlock}). */
    public ParamBlock paramBlock() {
        return block;
    }

    /** The network is being trained, not differentiated with respect to its input: conv1 skips dInput. */
    public void skipInputGradient() {
        ((Conv2d) layers().get(0)).skipInputGradient();
    }

    public Activation activation() {
        return activation;
    }

    public Pooling pooling() {
        return pooling;
    }

    private static Map<String, long[]> orderedShapes() {
        java.util.LinkedHashMap<String, long[]> m = new java.util.LinkedHashMap<>();
        m.put("conv1.weight", new long[] {6, 1, 5, 5});
        m.put("conv1.bias", new long[] {6});
        m.put("conv2.weight", new long[] {16, 6, 5, 5});
        m.put("conv2.bias", new long[] {16});
        m.put("fc1.weight", new long[] {120, 400});
        m.put("fc1.bias", new long[] {120});
        m.put("fc2.weight", new long[] {84, 120});
        m.put("fc2.bias", new long[] {84});
        m.put("fc3.weight", new long[] {10, 84});
        m.put("fc3.bias", new long[] {10});
        return java.util.Collections.unmodifiableMap(m);
    }
}
