package lenet.engine.reference;

import static lenet.engine.reference.FiniteDifferences.EPS;
import static lenet.engine.reference.FiniteDifferences.assertGradient;
import static lenet.engine.reference.FiniteDifferences.numerical;
import static lenet.engine.reference.FiniteDifferences.sample;
import static lenet.engine.reference.FiniteDifferences.uniform;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleSupplier;
import lenet.io.NdArray;
import lenet.model.Activation;
import lenet.model.Architecture;
import lenet.model.LayerSpec;
import lenet.model.ModelSpec;
import lenet.model.ModelState;
import lenet.model.Norm;
import lenet.model.Pooling;
import lenet.model.TensorSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The whole LeNet's backward (loss to every parameter and to the input) against central finite
 * differences in double precision: the four activation/pooling variants, and d2l's batch-normalised
 * LeNet in train mode (batch statistics) and eval mode (running statistics). Each parameter array is
 * checked at 6 entries (its first, its last and random ones), the input at 8, on a batch of 2.
 */
class LeNetGradientTest {
    private static final int N = 2;

    @ParameterizedTest(name = "{0} + {1} pooling, norm {2}, {3} mode")
    @CsvSource({
            "SIGMOID, AVG, NONE, TRAIN", "SIGMOID, MAX, NONE, TRAIN", "RELU, AVG, NONE, TRAIN", "RELU, MAX, NONE, TRAIN",
            "SIGMOID, AVG, BATCH, TRAIN", "RELU, MAX, BATCH, TRAIN", "SIGMOID, AVG, BATCH, EVAL"})
    void lossGradientMatchesFiniteDifferences(Activation activation, Pooling pooling, Norm norm, Mode mode) {
        Random rng = new Random(11);
        ModelSpec spec = Architecture.lenet(activation, pooling, norm).spec();
        Model model = Model.of(spec, randomState(spec, rng, activation == Activation.SIGMOID ? 4 : 1));
        double[] x = uniform(rng, N * spec.inputSize(), 0, 1);
        int[] labels = {3, 7};
        DoubleSupplier loss = () -> SoftmaxCrossEntropy.forward(model.logits(new Context(mode, N), x), labels, N, 10).value();

        Context ctx = new Context(mode, N);
        double[] logits = model.logits(ctx, x);
        double[] dx = model.backward(ctx, SoftmaxCrossEntropy.backward(SoftmaxCrossEntropy.forward(logits, labels, N, 10)));

        for (int k = 0; k < spec.layers().size(); k++) {
            LayerSpec layer = spec.layers().get(k);
            boolean feedsTrainBatchNorm = mode == Mode.TRAIN && !(layer instanceof LayerSpec.BatchNorm)
                    && k + 1 < spec.layers().size() && spec.layers().get(k + 1) instanceof LayerSpec.BatchNorm;
            for (TensorSpec p : layer.parameters()) {
                double[] value = model.arrays.get(p.name()), grad = ctx.grads().get(p.name());
                int[] at = sample(value.length, 6, rng);
                if (feedsTrainBatchNorm && p.name().endsWith(".bias")) {
                    // The batch mean takes a bias before batch norm away again: the gradient is zero, and
                    // finite differences see only the loss's rounding (which reaches a few tens of ulps).
                    Close.assertAllClose("d" + p.name() + " (zero)", new double[grad.length], grad, 0, 1e-12);
                    Close.assertAllClose("numerical d" + p.name(), new double[at.length], numerical(loss, value, at), 0, 100 * Math.ulp(loss.getAsDouble()) / EPS);
                } else {
                    assertGradient("d" + p.name(), grad, loss, value, at);
                }
            }
        }
        assertGradient("dInput", dx, loss, x, sample(x.length, 8, rng));
    }

    /** Xavier weights (times {@code gain}), and every bias, batch-norm weight and running statistic random too, so none is 0 or 1. */
    static ModelState randomState(ModelSpec spec, Random rng, double gain) {
        ModelState fresh = spec.initialState(rng, gain);
        Map<String, NdArray> arrays = new LinkedHashMap<>(fresh.all());
        for (TensorSpec t : spec.parameters()) {
            if (t.fill() != TensorSpec.Fill.XAVIER) arrays.put(t.name(), random(t, rng, t.fill() == TensorSpec.Fill.ONES ? 0.5 : -0.2, t.fill() == TensorSpec.Fill.ONES ? 1.5 : 0.2));
        }
        for (TensorSpec t : spec.buffers()) {
            if (t.name().endsWith(".running_mean")) arrays.put(t.name(), random(t, rng, -0.3, 0.3));
            if (t.name().endsWith(".running_var")) arrays.put(t.name(), random(t, rng, 0.5, 2));
        }
        return ModelState.of(spec, arrays);
    }

    private static NdArray random(TensorSpec t, Random rng, double lo, double hi) {
        float[] v = new float[t.size()];
        for (int i = 0; i < v.length; i++) v[i] = (float) (lo + (hi - lo) * rng.nextDouble());
        return new NdArray(t.shape(), v);
    }
}
