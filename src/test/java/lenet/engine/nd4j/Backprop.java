package lenet.engine.nd4j;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lenet.model.LayerSpec;
import lenet.model.ModelSpec;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * One train-mode forward, loss and backward of a model, layer by layer as {@link Model#backward}
 * runs it, for tests that judge the gradients: the loss, the logits, every parameter's gradient,
 * and for each layer the size of what its bias gradient sums (the largest sum of |dOut| over one
 * output channel), which bounds the float rounding of a gradient that cancels to nearly zero.
 */
record Backprop(double loss, float[] logits, Map<String, double[]> grads, double[] termSizes) {
    static Backprop run(Model model, float[] input, int[] labels, int n) {
        ModelSpec spec = model.spec;
        List<LayerSpec> layers = spec.layers();
        double[] termSizes = new double[layers.size()];
        model.params.grads().assign(0);
        double loss;
        float[] logits;
        try (MemoryWorkspace ws = Arena.open("TEST_BACKPROP")) {
            Tape tape = new Tape(Mode.TRAIN, n, model.params::grad);
            INDArray z = model.forward(tape, Arena.batch(input, 0, n, spec.inputShape()).castTo(model.type));
            logits = Arena.floats(z);
            SoftmaxCrossEntropy.Loss l = SoftmaxCrossEntropy.forward(z, labels);
            loss = l.value();
            INDArray d = SoftmaxCrossEntropy.backward(l);
            for (int k = layers.size() - 1; k >= 0 && d != null; k--) {
                INDArray channels = d.rank() == 4 ? Transforms.abs(d, true).sum(0, 2, 3) : Transforms.abs(d, true).sum(0);
                termSizes[k] = channels.maxNumber().doubleValue();
                d = model.layers.get(k).backward(tape, d);
            }
        }
        Map<String, double[]> grads = new LinkedHashMap<>();
        for (String name : model.params.names()) grads.put(name, Compare.flat(model.params.grad(name)));
        return new Backprop(loss, logits, grads, termSizes);
    }

    /** Whether layer k is a conv or dense layer whose output goes straight into a batch norm (in train mode its bias gradient is zero). */
    static boolean feedsBatchNorm(List<LayerSpec> layers, int k) {
        return k + 1 < layers.size() && layers.get(k + 1) instanceof LayerSpec.BatchNorm && !(layers.get(k) instanceof LayerSpec.BatchNorm);
    }
}
