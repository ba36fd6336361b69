package lenet.engine.reference;

import java.util.LinkedHashMap;
import java.util.Map;
import lenet.model.Activation;
import lenet.model.LayerSpec;
import lenet.model.ModelSpec;
import lenet.model.ModelState;
import lenet.model.Pooling;

/**
 * The reference engine's layers and models for the tests of the other engines, which live in other
 * packages: one layer's, or one whole model's, forward and backward in double precision, with every
 * gradient and every new buffer value the call computed. The judge they are compared with.
 */
public final class ReferenceLayers {
    private ReferenceLayers() {}

    /** What one forward and backward of a layer gave. */
    public record LayerResult(double[] output, double[] dInput, Map<String, double[]> grads, Map<String, double[]> newBuffers) {}

    /**
     * Layer {@code spec} over inputs of shape {@code in} (one sample's), reading {@code arrays} (its
     * parameters and buffers by name), on {@code n} samples x in train or eval mode: y = forward(x),
     * then backward(dOut).
     */
    public static LayerResult layer(LayerSpec spec, int[] in, Map<String, double[]> arrays, boolean train, int n, double[] x, double[] dOut) {
        Module module = spec.accept(new LayerSpec.Visitor<Module>() {
            @Override
            public Module conv2d(LayerSpec.Conv2d c) {
                return new Conv2d(c, in, arrays.get(c.name() + ".weight"), arrays.get(c.name() + ".bias"));
            }

            @Override
            public Module pool2d(LayerSpec.Pool2d p) {
                return p.kind() == Pooling.MAX ? new MaxPool2d(p, in) : new AvgPool2d(p, in);
            }

            @Override
            public Module act(LayerSpec.Act a) {
                return a.kind() == Activation.SIGMOID ? new Sigmoid(a) : new ReLU(a);
            }

            @Override
            public Module flatten(LayerSpec.Flatten f) {
                return new Flatten(f);
            }

            @Override
            public Module linear(LayerSpec.Linear l) {
                return new Linear(l, arrays.get(l.name() + ".weight"), arrays.get(l.name() + ".bias"));
            }

            @Override
            public Module batchNorm(LayerSpec.BatchNorm b) {
                return new BatchNorm(b, in, arrays);
            }
        });
        Context ctx = new Context(train ? Mode.TRAIN : Mode.EVAL, n);
        double[] y = module.forward(ctx, x.clone());
        double[] dx = module.backward(ctx, dOut.clone());
        return new LayerResult(y, dx, new LinkedHashMap<>(ctx.grads()), new LinkedHashMap<>(ctx.newBuffers()));
    }

    /** What one forward, loss and backward of a whole model gave. */
    public record ModelResult(double[] logits, double loss, double[] dInput, Map<String, double[]> grads, Map<String, double[]> newBuffers) {}

    /** The model of {@code spec} and {@code state} on n samples x with their labels, in train or eval mode. */
    public static ModelResult model(ModelSpec spec, ModelState state, boolean train, float[] x, int[] labels, int n) {
        Model model = Model.of(spec, state);
        Context ctx = new Context(train ? Mode.TRAIN : Mode.EVAL, n);
        double[] logits = model.logits(ctx, Model.toDouble(x));
        SoftmaxCrossEntropy.Loss loss = SoftmaxCrossEntropy.forward(logits, labels, n, spec.classes());
        double[] dx = model.backward(ctx, SoftmaxCrossEntropy.backward(loss));
        return new ModelResult(logits, loss.value(), dx, new LinkedHashMap<>(ctx.grads()), new LinkedHashMap<>(ctx.newBuffers()));
    }
}
