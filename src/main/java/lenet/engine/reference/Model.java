package lenet.engine.reference;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lenet.io.NdArray;
import lenet.model.Activation;
import lenet.model.LayerSpec;
import lenet.model.ModelSpec;
import lenet.model.ModelState;
import lenet.model.Pooling;
import lenet.model.TensorSpec;

/**
 * A spec's layers as reference modules over the model's numbers in double precision: every
 * parameter and buffer converted from float once, here, and held by name. The modules read these
 * arrays; only a training step ({@link ReferenceTrainable}) writes them.
 */
final class Model {
    final ModelSpec spec;
    /** Parameters then buffers, by PyTorch name, in the spec's order. */
    final Map<String, double[]> arrays;
    final List<Module> layers;

    private Model(ModelSpec spec, Map<String, double[]> arrays) {
        this.spec = spec;
        this.arrays = arrays;
        List<Module> layers = new ArrayList<>();
        int[] shape = spec.inputShape();
        for (LayerSpec layer : spec.layers()) {
            layers.add(module(layer, shape, arrays));
            shape = layer.outputShape(shape);
        }
        this.layers = Collections.unmodifiableList(layers);
    }

    /** The model of {@code spec} holding {@code state}'s arrays (checked against the spec), converted to double. */
    static Model of(ModelSpec spec, ModelState state) {
        ModelState checked = ModelState.of(spec, state.all());
        Map<String, double[]> arrays = new LinkedHashMap<>();
        for (Map.Entry<String, NdArray> e : checked.all().entrySet()) arrays.put(e.getKey(), toDouble(e.getValue().data()));
        return new Model(spec, arrays);
    }

    /** The one place that turns a layer's description into code. */
    private static Module module(LayerSpec layer, int[] in, Map<String, double[]> arrays) {
        return layer.accept(new LayerSpec.Visitor<Module>() {
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
                b.outputShape(in);
                return new BatchNorm(b, in, arrays);
            }
        });
    }

    /** Values in one sample's input. */
    int inputSize() {
        return spec.inputSize();
    }

    /**
     * Every layer's output for the ctx.n samples in {@code x} ([N, C, H, W], row-major): element k is
     * layer k's output, the last the logits [N, classes].
     */
    double[][] forward(Context ctx, double[] x) {
        if (x.length != ctx.n * inputSize()) {
            throw new IllegalArgumentException(x.length + " input values for " + ctx.n + " samples of " + inputSize());
        }
        double[][] outputs = new double[layers.size()][];
        for (int k = 0; k < layers.size(); k++) {
            x = layers.get(k).forward(ctx, x);
            outputs[k] = x;
        }
        return outputs;
    }

    /** The logits [N, classes] of ctx.n samples. */
    double[] logits(Context ctx, double[] x) {
        double[][] outputs = forward(ctx, x);
        return outputs[outputs.length - 1];
    }

    /** dL/dInput from dL/dLogits, after a forward in the same context; parameter gradients go to ctx.grad(name). */
    double[] backward(Context ctx, double[] dLogits) {
        double[] d = dLogits;
        for (int k = layers.size() - 1; k >= 0; k--) d = layers.get(k).backward(ctx, d);
        return d;
    }

    /** The names of the trained arrays, in order. */
    List<String> parameterNames() {
        return spec.parameters().stream().map(TensorSpec::name).toList();
    }

    /** The current numbers as float arrays (rounded from double), parameters and buffers. */
    ModelState state() {
        Map<String, NdArray> params = new LinkedHashMap<>();
        for (TensorSpec t : spec.parameters()) params.put(t.name(), new NdArray(t.shape(), toFloat(arrays.get(t.name()))));
        Map<String, NdArray> buffers = new LinkedHashMap<>();
        for (TensorSpec t : spec.buffers()) buffers.put(t.name(), new NdArray(t.shape(), toFloat(arrays.get(t.name()))));
        return new ModelState(params, buffers);
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) f[i] = (float) a[i];
        return f;
    }
}
