package lenet.engine.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import lenet.engine.Network;
import lenet.engine.Sgd;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The engine trains with exactly the numbers of the code it replaces: from the same start, its
 * training steps and today's ({@code lenet.nn.LeNet}, {@code lenet.nn.SoftmaxCrossEntropy} and
 * {@code lenet.optim.Sgd} over the flat parameter block, run as {@code train.Trainer} runs them: the
 * batch copied into a per-step workspace, forward, loss, accuracy, zeroed gradients, backward, step,
 * conv1 without its input gradient) give bit-identical losses, accuracies, parameters and velocities,
 * and the scoring forward pass gives bit-identical logits. With the vector-API kernels (this JVM)
 * and without them (a second JVM started with -Dlenet.simd=false, where both sides fall back to
 * libnd4j's kernels). When today's code is deleted, this test goes with it.
 */
class TodaysNumbersTest {
    private static final Sgd SGD = new Sgd(0.9, 1e-4);
    /** Six full batches of the default size, then the short last batch of an MNIST epoch (60000 = 468 * 128 + 96). */
    private static final int[] BATCHES = {128, 128, 128, 128, 128, 128, 96};
    private static final int SCORED = 1000;

    @ParameterizedTest(name = "{0} + {1} pooling")
    @CsvSource({"SIGMOID, AVG", "SIGMOID, MAX", "RELU, AVG", "RELU, MAX"})
    void trainingStepsAndScoringAreBitIdenticalToTodaysPath(Activation activation, Pooling pooling) {
        assertEquals("", differences(activation, pooling));
    }

    @Test
    void withoutTheVectorApiToo() throws Exception {
        assertEquals("identical", InterpretingJvm.output(TodaysNumbersTest.class, "-Dlenet.simd=false"));
    }

    /** For {@link #withoutTheVectorApiToo}: the comparison in a JVM whose kernels are libnd4j's on both sides. */
    public static void main(String[] args) {
        if (Simd.AVAILABLE) throw new IllegalStateException("run with -Dlenet.simd=false");
        String d = differences(Activation.SIGMOID, Pooling.AVG) + differences(Activation.RELU, Pooling.MAX);
        System.out.println(d.isEmpty() ? "identical" : d);
    }

    /** Every difference between the two paths, one line each; empty when there is none. */
    static String differences(Activation activation, Pooling pooling) {
        ModelSpec spec = Architecture.lenet(activation, pooling, Norm.NONE).spec();
        ModelState start = spec.initialState(new Random(7), activation == Activation.SIGMOID ? 4 : 1); // the default recipe's Xavier x4
        Random data = new Random(8);
        StringBuilder diff = new StringBuilder();

        Trainable engine = new Nd4jEngine().trainable(spec, start, SGD, Map.of());
        Today today = new Today(activation, pooling, start);
        for (int step = 0; step < BATCHES.length; step++) {
            int n = BATCHES[step];
            float[] x = images(data, n);
            int[] labels = data.ints(n, 0, 10).toArray();
            double lr = 0.5 * (step + 1) / BATCHES.length; // a rising one-cycle rate, as the default recipe's first steps
            Trainable.StepResult mine = engine.step(x, labels, n, lr);
            Trainable.StepResult theirs = today.step(x, labels, n, lr);
            if (Double.doubleToLongBits(mine.loss()) != Double.doubleToLongBits(theirs.loss())) diff.append("step ").append(step).append(" loss ").append(mine.loss()).append(" vs ").append(theirs.loss()).append('\n');
            if (mine.correct() != theirs.correct()) diff.append("step ").append(step).append(" correct ").append(mine.correct()).append(" vs ").append(theirs.correct()).append('\n');
        }
        ModelState state = engine.state();
        Map<String, NdArray> velocity = engine.optimizerState();
        for (Param p : today.net.params()) {
            bitDiff(diff, p.name(), floats(p.value()), state.parameters().get(p.name()).data());
            bitDiff(diff, "momentum." + p.name(), floats(today.sgd.state().get(p.name())), velocity.get(Sgd.STATE_PREFIX + p.name()).data());
        }

        float[] scored = images(data, SCORED);
        Network network = new Nd4jEngine().network(spec, state);
        float[] expected = today.logits(scored, SCORED);
        bitDiff(diff, "network logits", expected, network.logits(scored, SCORED));
        bitDiff(diff, "trainable logits", expected, engine.logits(scored, SCORED));
        return diff.length() == 0 ? "" : activation + "/" + pooling + ":\n" + diff;
    }

    /** Today's training step and scoring, line for line as train.Trainer, train.Batcher and train.Evaluator run them. */
    private static final class Today {
        final LeNet net;
        final lenet.optim.Sgd sgd;
        final lenet.nn.SoftmaxCrossEntropy loss = new lenet.nn.SoftmaxCrossEntropy();

        Today(Activation activation, Pooling pooling, ModelState start) {
            Map<String, INDArray> arrays = new LinkedHashMap<>();
            start.parameters().forEach((name, a) -> arrays.put(name, Nd4j.create(a.data(), a.shape(), 'c')));
            net = LeNet.fromArrays(LeNet.Activation.valueOf(activation.name()), LeNet.Pooling.valueOf(pooling.name()), arrays);
            net.skipInputGradient();
            sgd = new lenet.optim.Sgd(net.paramBlock(), SGD.momentum(), SGD.weightDecay());
        }

        Trainable.StepResult step(float[] images, int[] labels, int n, double lr) {
            try (MemoryWorkspace ws = Arena.open("TODAY_TRAIN")) {
                INDArray x = batch(images, n);
                double l = loss.forward(net.forward(x), labels);
                int correct = loss.correct(labels);
                sgd.zeroGrad();
                net.backward(loss.backward());
                sgd.step(lr);
                return new Trainable.StepResult(l, correct);
            }
        }

        float[] logits(float[] images, int n) {
            try (MemoryWorkspace ws = Arena.open("TODAY_EVAL")) {
                return floats(net.forward(batch(images, n)));
            }
        }

        /** train.Batcher's copy into the workspace. */
        private static INDArray batch(float[] images, int n) {
            INDArray x = Nd4j.createUninitialized(DataType.FLOAT, n, 1, 28, 28);
            x.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer().put((int) x.offset(), images, 0, n * 784);
            return x;
        }
    }

    /** n MNIST-like images: random bytes, each divided by 255 in float as Batcher does, a third of them ink. */
    static float[] images(Random rng, int n) {
        float[] x = new float[n * 784];
        for (int i = 0; i < x.length; i++) x[i] = rng.nextInt(3) == 0 ? (rng.nextInt(256) & 0xFF) / 255f : 0f;
        return x;
    }

    private static float[] floats(INDArray a) {
        return a.dup('c').reshape(a.length()).toFloatVector();
    }

    private static void bitDiff(StringBuilder diff, String what, float[] expected, float[] actual) {
        List<Integer> differ = new ArrayList<>();
        for (int i = 0; i < expected.length; i++) if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) differ.add(i);
        if (expected.length != actual.length) diff.append(what).append(": ").append(actual.length).append(" values, expected ").append(expected.length).append('\n');
        else if (!differ.isEmpty()) {
            int i = differ.get(0);
            diff.append(what).append(": ").append(differ.size()).append(" of ").append(expected.length).append(" values differ, first at ").append(i)
                    .append(": ").append(actual[i]).append(" vs ").append(expected[i]).append('\n');
        }
    }
}
