package lenet.engine.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Random;
import lenet.engine.Trace;
import lenet.model.Activation;
import lenet.model.Architecture;
import lenet.model.LayerSpec;
import lenet.model.ModelSpec;
import lenet.model.ModelState;
import lenet.model.Norm;
import lenet.model.Pooling;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Explanations add up to the trace's numbers EXACTLY: for every conv, pooling and dense cell
 * checked, the parts recombined in forward's order give the explanation's sum and value bit for
 * bit, and (float) value equals the traced value of the stage, as (float) of the last step equals
 * the traced value after the activation.
 */
class ExplainTest {
    private static final Random RNG = new Random(31);

    private record Setup(ModelSpec spec, ModelState state, ReferenceNetwork network, float[] image, Trace trace) {}

    private static Setup setup(Activation activation, Pooling pooling, Norm norm) {
        ModelSpec spec = Architecture.lenet(activation, pooling, norm).spec();
        ModelState state = LeNetGradientTest.randomState(spec, new Random(32), activation == Activation.SIGMOID ? 4 : 1);
        ReferenceNetwork network = new ReferenceEngine().network(spec, state);
        float[] image = new float[spec.inputSize()];
        for (int i = 0; i < image.length; i++) image[i] = RNG.nextFloat() < 0.3 ? RNG.nextFloat() : 0; // a sparse digit-like image
        return new Setup(spec, state, network, image, network.trace(image));
    }

    private static float traced(Trace trace, String stage, int... index) {
        Trace.StageOutput s = trace.stage(stage);
        return s.values()[Checks.offset(index, s.shape())];
    }

    /** The cells to check in a map of shape [C, H, W]: the corners (where padding shows) and random ones. */
    private static List<int[]> cells(int[] shape) {
        int c = shape[0], h = shape[1], w = shape[2];
        return List.of(new int[] {0, 0, 0}, new int[] {c - 1, h - 1, w - 1}, new int[] {0, 0, w - 1}, new int[] {c - 1, h - 1, 0},
                new int[] {RNG.nextInt(c), RNG.nextInt(h), RNG.nextInt(w)}, new int[] {RNG.nextInt(c), RNG.nextInt(h), RNG.nextInt(w)});
    }

    /** The traced value at the end of the explanation's steps (or of the stage itself). */
    private static void assertStepsMatchTrace(Explanation e, Trace trace, int... index) {
        double value = e.value();
        for (Explanation.Step step : e.then()) {
            assertEquals(value, step.input(), "a step starts from the previous output");
            assertEquals(traced(trace, step.stage(), index), (float) step.output(), step.stage() + " at " + java.util.Arrays.toString(index));
            value = step.output();
        }
    }

    @ParameterizedTest(name = "{0} + {1} pooling, norm {2}")
    @CsvSource({"SIGMOID, AVG, NONE", "RELU, MAX, NONE", "SIGMOID, AVG, BATCH", "RELU, MAX, BATCH"})
    void convCellsAddUpToTheTracedValue(Activation activation, Pooling pooling, Norm norm) {
        Setup s = setup(activation, pooling, norm);
        for (String stage : new String[] {"conv1", "conv2"}) {
            for (int[] cell : cells(s.trace().stage(stage).shape())) {
                Explanation.ConvCell e = (Explanation.ConvCell) s.network().explain(s.image(), stage, cell);

                double sum = 0; // forward's order: channel, kernel row, kernel column, padding adding nothing
                for (Explanation.ChannelWindow w : e.windows()) {
                    for (int u = 0; u < w.products().length; u++) {
                        for (int v = 0; v < w.products()[u].length; v++) {
                            if (!w.padding()[u][v]) sum += w.products()[u][v];
                            assertEquals(w.padding()[u][v] ? 0 : w.kernel()[u][v] * w.input()[u][v], w.products()[u][v]);
                        }
                    }
                }
                assertEquals(sum, e.sum(), "the products add up to the sum, bit for bit");
                assertEquals(e.sum() + e.bias(), e.value());
                assertEquals(traced(s.trace(), stage, cell), (float) e.value(), stage + " " + java.util.Arrays.toString(cell));
                assertEquals(norm == Norm.BATCH ? 2 : 1, e.then().size(), "batch norm (if any), then the activation");
                assertEquals(LayerSpec.Act.class, s.spec().layers().stream().filter(l -> l.name().equals(e.then().get(e.then().size() - 1).stage())).findFirst().orElseThrow().getClass());
                assertStepsMatchTrace(e, s.trace(), cell);
            }
        }
    }

    @Test
    void conv1WindowShowsTheZeroPaddingAndTheImage() {
        Setup s = setup(Activation.SIGMOID, Pooling.AVG, Norm.NONE);
        float[] weights = s.state().parameters().get("conv1.weight").data();

        Explanation.ConvCell e = (Explanation.ConvCell) s.network().explain(s.image(), "conv1", 2, 0, 1);

        assertEquals("input", e.inputStage());
        assertEquals(-2, e.top(), "conv1 pads by 2");
        assertEquals(-1, e.left());
        Explanation.ChannelWindow w = e.windows().get(0);
        for (int u = 0; u < 5; u++) {
            for (int v = 0; v < 5; v++) {
                int r = e.top() + u, q = e.left() + v;
                boolean outside = r < 0 || q < 0;
                assertEquals(outside, w.padding()[u][v], "padding at " + u + "," + v);
                assertEquals(outside ? 0 : s.image()[r * 28 + q], w.input()[u][v]);
                assertEquals(weights[(2 * 5 + u) * 5 + v], w.kernel()[u][v]);
            }
        }
    }

    @ParameterizedTest(name = "{0} pooling")
    @CsvSource({"AVG", "MAX"})
    void poolCellsAreTheirWindowsAverageOrMaximum(Pooling pooling) {
        Setup s = setup(Activation.RELU, pooling, Norm.NONE);
        for (String stage : new String[] {"pool1", "pool2"}) {
            for (int[] cell : cells(s.trace().stage(stage).shape())) {
                Explanation e = s.network().explain(s.image(), stage, cell);

                assertEquals(traced(s.trace(), stage, cell), (float) e.value(), stage + " " + java.util.Arrays.toString(cell));
                assertTrue(e.then().isEmpty(), "flatten or a conv follows a pooling, nothing elementwise");
                if (e instanceof Explanation.AvgPoolCell avg) {
                    double sum = 0;
                    for (double[] row : avg.window()) for (double v : row) sum += v;
                    assertEquals(sum, avg.sum());
                    assertEquals(avg.sum() / avg.divisor(), avg.value());
                    assertEquals(4, avg.divisor());
                } else {
                    Explanation.MaxPoolCell max = (Explanation.MaxPoolCell) e;
                    double largest = Double.NEGATIVE_INFINITY;
                    for (double[] row : max.window()) for (double v : row) largest = Math.max(largest, v);
                    assertEquals(largest, max.value());
                    assertEquals(max.window()[max.maxRow()][max.maxCol()], max.value());
                }
                // The window holds the traced values of the stage before (act1 or act2).
                double[][] window = e instanceof Explanation.AvgPoolCell a ? a.window() : ((Explanation.MaxPoolCell) e).window();
                String before = stage.equals("pool1") ? "act1" : "act2";
                assertEquals(traced(s.trace(), before, cell[0], 2 * cell[1] + 1, 2 * cell[2]), (float) window[1][0]);
            }
        }
    }

    @ParameterizedTest(name = "norm {0}")
    @CsvSource({"NONE", "BATCH"})
    void denseUnitsAddUpAndRankTheirContributions(Norm norm) {
        Setup s = setup(Activation.SIGMOID, Pooling.AVG, norm);
        for (String stage : new String[] {"fc1", "fc2", "fc3"}) {
            int units = s.trace().stage(stage).shape()[0];
            for (int unit : new int[] {0, units - 1, RNG.nextInt(units)}) {
                Explanation.DenseUnit e = (Explanation.DenseUnit) s.network().explain(s.image(), stage, unit);

                double[] byInput = new double[e.contributions().size()];
                for (Explanation.Contribution c : e.contributions()) {
                    byInput[c.input()] = c.product();
                    assertEquals(c.weight() * c.x(), c.product());
                }
                double sum = 0;
                for (double p : byInput) sum += p;
                assertEquals(sum, e.sum(), "the products added in input order give the sum, bit for bit");
                assertEquals(e.sum() + e.bias(), e.value());
                assertEquals(traced(s.trace(), stage, unit), (float) e.value());
                for (int i = 1; i < e.contributions().size(); i++) {
                    assertTrue(Math.abs(e.contributions().get(i - 1).product()) >= Math.abs(e.contributions().get(i).product()), "ranked by |w*x|");
                }
                assertEquals(stage.equals("fc3") ? 0 : norm == Norm.BATCH ? 2 : 1, e.then().size());
                assertStepsMatchTrace(e, s.trace(), unit);
            }
        }
    }

    @Test
    void batchNormStepNamesItsRunningStatistics() {
        Setup s = setup(Activation.SIGMOID, Pooling.AVG, Norm.BATCH);
        Explanation e = s.network().explain(s.image(), "conv1", 3, 10, 10);

        Explanation.Step bn = e.then().get(0);
        assertEquals("bn1", bn.stage());
        assertEquals(s.state().buffers().get("bn1.running_var").data()[3], bn.constants().get("running_var"));
        double c = (bn.input() - bn.constants().get("running_mean")) / Math.sqrt(bn.constants().get("running_var") + bn.constants().get("eps"));
        assertEquals(c * bn.constants().get("weight") + bn.constants().get("bias"), bn.output(), "the formula the record documents");
    }

    @Test
    void onlyConvPoolingAndDenseStagesAreExplained() {
        Setup s = setup(Activation.SIGMOID, Pooling.AVG, Norm.NONE);

        assertThrows(IllegalArgumentException.class, () -> s.network().explain(s.image(), "act1", 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> s.network().explain(s.image(), "flatten", 0));
        assertThrows(IllegalArgumentException.class, () -> s.network().explain(s.image(), "conv9", 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> s.network().explain(s.image(), "conv1", 6, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> s.network().explain(s.image(), "conv1", 0, 0));
        assertThrows(IllegalArgumentException.class, () -> s.network().explain(new float[10], "conv1", 0, 0, 0));
    }

    @Test
    void explanationsSerialiseWithTheirKind() throws Exception {
        Setup s = setup(Activation.SIGMOID, Pooling.MAX, Norm.NONE);
        ObjectMapper mapper = new ObjectMapper();

        String conv = mapper.writeValueAsString(s.network().explain(s.image(), "conv1", 0, 0, 0));
        String pool = mapper.writeValueAsString(s.network().explain(s.image(), "pool1", 0, 0, 0));
        String dense = mapper.writeValueAsString(s.network().explain(s.image(), "fc3", 0));

        assertTrue(conv.startsWith("{\"kind\":\"conv\""), conv.substring(0, 40));
        assertTrue(conv.contains("\"windows\":[{\"channel\":0,\"input\":[["), conv.substring(0, 200));
        assertTrue(pool.startsWith("{\"kind\":\"max_pool\""), pool.substring(0, 40));
        assertTrue(dense.startsWith("{\"kind\":\"dense\""), dense.substring(0, 40));
        assertFalse(conv.contains("finalValue"), "a derived value, not a field");
    }

    @Test
    void traceHasEveryStageWithItsShapeAndTheLogits() {
        Setup s = setup(Activation.RELU, Pooling.MAX, Norm.BATCH);

        assertEquals(s.spec().stages().size(), s.trace().stages().size());
        for (int k = 0; k < s.spec().stages().size(); k++) {
            ModelSpec.Stage stage = s.spec().stages().get(k);
            assertEquals(stage.name(), s.trace().stages().get(k).name());
            assertEquals(stage.size(), s.trace().stages().get(k).values().length, stage.name());
        }
        assertArrayEquals(new int[] {6, 24, 24}, s.trace().stage("conv1").shape());
        assertArrayEquals(s.network().logits(s.image(), 1), s.trace().logits(), "trace and logits are one computation");
        assertArrayEquals(s.image(), s.trace().input());
    }
}
