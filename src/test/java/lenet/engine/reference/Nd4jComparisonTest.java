package lenet.engine.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import lenet.engine.Trainable;
import lenet.io.NdArray;
import lenet.model.Activation;
import lenet.model.Architecture;
import lenet.model.ModelSpec;
import lenet.model.ModelState;
import lenet.model.Norm;
import lenet.model.Pooling;
import lenet.nn.LeNet;
import lenet.nn.Param;
import lenet.nn.SoftmaxCrossEntropy;
import lenet.optim.Sgd;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The reference engine against the ND4J network ({@code lenet.nn.LeNet}, float32, the kernels
 * training runs) from the same arrays and a batch of 16: logits, loss, every gradient, and the
 * parameters and velocities after 3 SGD steps with momentum and weight decay, in all four
 * activation/pooling forms.
 *
 * <p>Tolerances: logits 1e-5 absolute; loss 1e-6; gradients 2e-5 of their array's largest entry plus
 * 1e-5 of the entry itself; parameters after 3 steps 1e-6 absolute, velocities 1e-6 plus 1e-5
 * relative. The differences are ND4J's float rounding; measured over the four forms: logits 3.4e-7,
 * loss 2.8e-7, gradients 4.4e-6 of their scale, parameters 6e-8, velocities 2e-7.
 *
 * <p>The weights are plain Xavier (gain 1). With the sigmoid's gain of 4 and max pooling, the larger
 * steps bring two values of one act1 window within float rounding of each other at the second step:
 * equal in ND4J's float, one larger in double. Each engine then routes that window's gradient to a
 * different cell, as its precision says it should, and conv1.weight ends 1e-5 apart.
 */
class Nd4jComparisonTest {
    private static final int N = 16, STEPS = 3;
    private static final double LR = 0.1, MOMENTUM = 0.9, WEIGHT_DECAY = 1e-4;

    private record Pair(ModelSpec spec, ModelState state, LeNet nd4j, float[] input, int[] labels) {}

    private static Pair pair(Activation activation, Pooling pooling) {
        Random rng = new Random(21);
        ModelSpec spec = Architecture.lenet(activation, pooling, Norm.NONE).spec();
        ModelState state = LeNetGradientTest.randomState(spec, rng, 1);
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        for (Map.Entry<String, NdArray> e : state.parameters().entrySet()) {
            arrays.put(e.getKey(), Nd4j.create(e.getValue().data(), e.getValue().shape(), 'c'));
        }
        LeNet nd4j = LeNet.fromArrays(LeNet.Activation.valueOf(activation.name()), LeNet.Pooling.valueOf(pooling.name()), arrays);
        float[] input = new float[N * spec.inputSize()];
        for (int i = 0; i < input.length; i++) input[i] = rng.nextFloat();
        int[] labels = new int[N];
        for (int i = 0; i < N; i++) labels[i] = rng.nextInt(10);
        return new Pair(spec, state, nd4j, input, labels);
    }

    private static INDArray batch(float[] input) {
        return Nd4j.create(input, new long[] {N, 1, 28, 28}, 'c');
    }

    private static float[] floats(INDArray a) {
        return a.castTo(DataType.FLOAT).dup('c').reshape(a.length()).toFloatVector();
    }

    @ParameterizedTest(name = "{0} + {1} pooling")
    @CsvSource({"SIGMOID, AVG", "SIGMOID, MAX", "RELU, AVG", "RELU, MAX"})
    void logitsLossAndGradientsMatchNd4j(Activation activation, Pooling pooling) {
        Pair p = pair(activation, pooling);
        SoftmaxCrossEntropy nd4jLoss = new SoftmaxCrossEntropy();
        double expectedLoss = nd4jLoss.forward(p.nd4j().forward(batch(p.input())), p.labels());
        float[] expectedLogits = floats(p.nd4j().forward(batch(p.input())));
        p.nd4j().backward(nd4jLoss.backward());

        Model model = Model.of(p.spec(), p.state());
        Context ctx = new Context(Mode.TRAIN, N);
        double[] logits = model.logits(ctx, Model.toDouble(p.input()));
        lenet.engine.reference.SoftmaxCrossEntropy.Loss loss = lenet.engine.reference.SoftmaxCrossEntropy.forward(logits, p.labels(), N, 10);
        model.backward(ctx, lenet.engine.reference.SoftmaxCrossEntropy.backward(loss));

        Close.assertAllClose("logits", Close.toDouble(expectedLogits), logits, 0, 1e-5);
        assertEquals(expectedLoss, loss.value(), 1e-6, "loss");
        for (Param param : p.nd4j().params()) {
            double[] expected = Close.toDouble(floats(param.grad()));
            Close.assertAllClose("d" + param.name(), expected, ctx.grads().get(param.name()), 1e-5, 2e-5 * Close.maxAbs(expected));
        }
    }

    @ParameterizedTest(name = "{0} + {1} pooling")
    @CsvSource({"SIGMOID, AVG", "SIGMOID, MAX", "RELU, AVG", "RELU, MAX"})
    void threeSgdStepsMatchNd4j(Activation activation, Pooling pooling) {
        Pair p = pair(activation, pooling);
        SoftmaxCrossEntropy nd4jLoss = new SoftmaxCrossEntropy();
        Sgd sgd = new Sgd(p.nd4j().paramBlock(), MOMENTUM, WEIGHT_DECAY);
        Trainable reference = new ReferenceEngine().trainable(p.spec(), p.state(), new lenet.engine.Sgd(MOMENTUM, WEIGHT_DECAY), Map.of());

        for (int step = 0; step < STEPS; step++) {
            sgd.zeroGrad();
            double expectedLoss = nd4jLoss.forward(p.nd4j().forward(batch(p.input())), p.labels());
            p.nd4j().backward(nd4jLoss.backward());
            sgd.step(LR);
            Trainable.StepResult result = reference.step(p.input(), p.labels(), N, LR);
            assertEquals(expectedLoss, result.loss(), 1e-6, "loss of step " + (step + 1));
        }

        ModelState state = reference.state();
        Map<String, NdArray> velocity = reference.optimizerState();
        Map<String, INDArray> nd4jVelocity = sgd.state();
        for (Param param : p.nd4j().params()) {
            Close.assertAllClose(param.name() + " after " + STEPS + " steps", floats(param.value()), state.parameters().get(param.name()).data(), 0, 1e-6);
            Close.assertAllClose("momentum." + param.name(), floats(nd4jVelocity.get(param.name())),
                    velocity.get(lenet.engine.Sgd.STATE_PREFIX + param.name()).data(), 1e-5, 1e-6);
        }
    }
}
