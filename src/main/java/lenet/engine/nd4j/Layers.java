package lenet.engine.nd4j;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import lenet.model.Activation;
import lenet.model.LayerSpec;
import lenet.model.ModelSpec;
import lenet.model.Pooling;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The one place that turns a spec's layers into ND4J modules, and so the one place that chooses
 * kernels. A layer never asks which kernel to run: it is built as the class that runs the right one.
 *
 * <pre>
 *   layer                 built as                                 when
 *   sigmoid               {@link SimdSigmoid} (vector API)          the vector API is on and the model is float32
 *                         {@link Sigmoid} (libnd4j)                 otherwise
 *   conv2d                {@link SimdWeightGradient} (vector API)   backward need not reach the input (training), it is
 *                                                                   the first layer, stride 1, one input channel, vector API on, float32
 *                         {@link CorrelationWeightGradient}         the same, but more channels, no vector API, or double
 *                         {@link Conv2d} (libnd4j conv2d_bp)        otherwise
 *   relu, pool, flatten, linear, batch norm: one class each
 * </pre>
 *
 * An activation overwrites its input (saving a copy) unless that input is another activation's
 * output, which that activation's backward still needs.
 */
final class Layers {
    private Layers() {}

    /**
     * The modules of {@code spec} over the model's arrays.
     *
     * @param vectorApi     whether the vector-API kernels may run ({@link Simd#AVAILABLE} in the product; tests build both ways)
     * @param inputGradient whether backward must give dL/dInput; a model being trained has no use for it
     */
    static List<Module> build(ModelSpec spec, ParamBlock params, Map<String, INDArray> buffers, DataType type, boolean vectorApi, boolean inputGradient) {
        boolean vectorKernels = vectorApi && type == DataType.FLOAT;
        List<LayerSpec> specs = spec.layers();
        List<Module> modules = new ArrayList<>();
        int[] shape = spec.inputShape();
        for (int k = 0; k < specs.size(); k++) {
            int[] in = shape;
            boolean first = k == 0;
            boolean overwriteInput = ownsItsInput(specs, k);
            modules.add(specs.get(k).accept(new LayerSpec.Visitor<Module>() {
                @Override
                public Module conv2d(LayerSpec.Conv2d c) {
                    INDArray w = params.value(c.name() + ".weight"), b = params.value(c.name() + ".bias");
                    boolean weightsOnly = !inputGradient && first && c.window().strideH() == 1 && c.window().strideW() == 1;
                    if (!weightsOnly) return new Conv2d(c, w, b);
                    return vectorKernels && c.inChannels() == 1 ? new SimdWeightGradient(c, w, b) : new CorrelationWeightGradient(c, w, b);
                }

                @Override
                public Module pool2d(LayerSpec.Pool2d p) {
                    return p.kind() == Pooling.MAX ? new MaxPool2d(p) : new AvgPool2d(p);
                }

                @Override
                public Module act(LayerSpec.Act a) {
                    if (a.kind() == Activation.RELU) return new ReLU(a);
                    return vectorKernels ? new SimdSigmoid(a, overwriteInput) : new Sigmoid(a, overwriteInput);
                }

                @Override
                public Module flatten(LayerSpec.Flatten f) {
                    return new Flatten(f, in);
                }

                @Override
                public Module linear(LayerSpec.Linear l) {
                    return new Linear(l, params.value(l.name() + ".weight"), params.value(l.name() + ".bias"));
                }

                @Override
                public Module batchNorm(LayerSpec.BatchNorm b) {
                    String n = b.name();
                    return new BatchNorm(b, params.value(n + ".weight"), params.value(n + ".bias"),
                            buffers.get(n + ".running_mean"), buffers.get(n + ".running_var"), buffers.get(n + ".num_batches_tracked"));
                }
            }));
            shape = specs.get(k).outputShape(shape);
        }
        return Collections.unmodifiableList(modules);
    }

    /**
     * Whether layer k may write over its input: true when that input is the fresh output of an
     * earlier layer (looking through flattens, which only reshape it) whose backward does not read
     * it; false for another activation's output and for the model's input, which is the caller's.
     */
    private static boolean ownsItsInput(List<LayerSpec> specs, int k) {
        int j = k - 1;
        while (j >= 0 && specs.get(j) instanceof LayerSpec.Flatten) j--;
        return j >= 0 && !(specs.get(j) instanceof LayerSpec.Act);
    }
}
