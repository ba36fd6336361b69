package lenet.nn;

import lenet.model.Window;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import lenet.image.Preprocessing;
import lenet.io.NdArray;
import lenet.io.Npz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The plain-Java forward pass: each layer against the plain-loop reference in double
 * ({@link ReferenceOps}), the whole network against ND4J's {@link LeNet#forward} on the same weights
 * (all four activation/pooling combinations) and against PyTorch's logits.
 *
 * <p>Tolerance on logits: 1e-5 absolute, as in {@link PyTorchGoldenTest}. The two float32 passes add
 * in different orders, which is all that separates them: measured differences are at most 5e-7.
 */
class PlainLeNetTest {
    private static final double LOGITS_ATOL = 1e-5;

    // ---- layers against the reference ----

    @ParameterizedTest(name = "C={0} OC={1} {2}x{3} K={4} pad={5}")
    @CsvSource({
        "1, 6, 28, 28, 5, 2", // conv1
        "6, 16, 14, 14, 5, 0", // conv2
        "2, 3, 7, 9, 3, 1", // not square, padding 1
        "3, 2, 4, 4, 1, 0", // 1x1: a per-pixel matmul
        "1, 2, 3, 5, 5, 4", // padding wider than the image: whole rows of taps clipped away
        "2, 1, 6, 6, 6, 0"}) // kernel as large as the image: one output
    void conv2dMatchesTheReference(int c, int oc, int h, int w, int k, int pad) {
        Random rng = new Random(c * 1000 + oc * 100 + k * 10 + pad);
        double[][][][] x = random(rng, 1, c, h, w);
        double[][][][] weight = random(rng, oc, c, k, k);
        double[] bias = doubles(floats(rng.doubles(oc, -1, 1).toArray()));

        float[] out = PlainLeNet.conv2d(floats(x), c, h, w, floats(weight), floats(bias), oc, k, pad);

        double[][][][] expected = ReferenceOps.conv2d(x, weight, bias, 1, 1, pad, pad);
        Compare.assertAllClose("conv2d", flat(expected), doubles(out), 1e-5, 1e-5);
    }

    @ParameterizedTest(name = "C={0} {1}x{2} K={3} stride={4}")
    @CsvSource({"6, 28, 28, 2, 2", "16, 10, 10, 2, 2", "2, 5, 7, 3, 2", "1, 4, 4, 1, 1", "3, 6, 6, 3, 3"})
    void avgPoolDividesByTheFullWindowAndMaxPoolTakesTheLargest(int c, int h, int w, int k, int stride) {
        double[][][][] x = random(new Random(c * 100 + h + k), 1, c, h, w);

        float[] avg = PlainLeNet.avgPool2d(floats(x), c, h, w, k, stride);
        float[] max = PlainLeNet.maxPool2d(floats(x), c, h, w, k, stride);

        Compare.assertAllClose("avg pool", flat(ReferenceOps.avgPool2d(x, k, k, stride, stride, 0, 0)), doubles(avg), 1e-6, 1e-6);
        Compare.assertAllClose("max pool", flat(ReferenceOps.maxPool2d(x, k, k, stride, stride, 0, 0)), doubles(max), 0, 0);
    }

    @Test
    void linearIsWeightTimesInputPlusBias() {
        Random rng = new Random(4);
        int in = 400, out = 120;
        double[] x = doubles(floats(rng.doubles(in, -1, 1).toArray()));
        double[] weight = doubles(floats(rng.doubles(out * in, -1, 1).toArray()));
        double[] bias = doubles(floats(rng.doubles(out, -1, 1).toArray()));
        double[] expected = new double[out];
        for (int j = 0; j < out; j++) {
            expected[j] = bias[j];
            for (int i = 0; i < in; i++) expected[j] += weight[j * in + i] * x[i];
        }
        Compare.assertAllClose("linear", expected, doubles(PlainLeNet.linear(floats(x), floats(weight), floats(bias))), 1e-5, 1e-5);
    }

    @Test
    void sigmoidAndReluInPlace() {
        float[] z = {-100, -1, 0, 2};
        PlainLeNet.sigmoid(z);
        assertArrayEquals(new float[] {0, 0.26894142f, 0.5f, 0.880797f}, z, 1e-7f);
        float[] r = {-3, -0f, 0, 2.5f};
        PlainLeNet.relu(r);
        assertArrayEquals(new float[] {0, 0, 0, 2.5f}, r);
    }

    // ---- the whole network ----

    @ParameterizedTest(name = "{0} + {1} pooling")
    @CsvSource({"SIGMOID, AVG", "SIGMOID, MAX", "RELU, AVG", "RELU, MAX"})
    void logitsMatchNd4jLeNetWithRandomWeightsOnRandomAndRealImages(LeNet.Activation activation, LeNet.Pooling pooling) throws IOException {
        LeNet net = LeNet.create(activation, pooling, new Random(17));
        assertSameLogitsAsNd4j(net, arraysOf(net), images(new Random(5), 6));
    }

    /** PyTorch's initial weights (the golden fixtures'), all four combinations: other magnitudes than Xavier's. */
    @ParameterizedTest(name = "{0} + {1} pooling")
    @CsvSource({"SIGMOID, AVG", "SIGMOID, MAX", "RELU, AVG", "RELU, MAX"})
    void logitsMatchNd4jLeNetWithPyTorchWeights(LeNet.Activation activation, LeNet.Pooling pooling) throws IOException {
        Map<String, NdArray> weights = golden("lenet_relu_max.npz");
        Map<String, INDArray> asNd4j = new LinkedHashMap<>();
        LeNet.PARAM_SHAPES.keySet().forEach(name -> asNd4j.put(name, Nd4j.create(weights.get(name).data(), weights.get(name).shape(), 'c')));
        assertSameLogitsAsNd4j(LeNet.fromArrays(activation, pooling, asNd4j), weights, images(new Random(6), 4));
    }

    @ParameterizedTest(name = "{0} + {1} pooling")
    @CsvSource({"SIGMOID, AVG, lenet_sigmoid_avg.npz", "RELU, MAX, lenet_relu_max.npz"})
    void logitsMatchPyTorch(LeNet.Activation activation, LeNet.Pooling pooling, String file) {
        Map<String, NdArray> golden = golden(file);
        PlainLeNet plain = new PlainLeNet(activation, pooling, golden);
        float[] input = golden.get("input").data(); // [8, 1, 28, 28]
        float[] logits = golden.get("logits").data(); // [8, 10]
        for (int n = 0; n < 8; n++) {
            float[] image = java.util.Arrays.copyOfRange(input, n * 784, (n + 1) * 784);
            Compare.assertAllClose("logits of image " + n, doubles(java.util.Arrays.copyOfRange(logits, n * 10, (n + 1) * 10)),
                    doubles(plain.logits(image)), 0, LOGITS_ATOL);
        }
    }

    @Test
    void aMissingOrMisshapenArrayIsRefused() {
        Map<String, NdArray> weights = new LinkedHashMap<>(golden("lenet_sigmoid_avg.npz"));
        weights.put("fc1.weight", new NdArray(new long[] {400, 120}, new float[48000]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PlainLeNet(LeNet.Activation.SIGMOID, LeNet.Pooling.AVG, weights));
        assertTrue(e.getMessage().contains("fc1.weight has shape [400, 120], LeNet needs [120, 400]"), e.getMessage());
        weights.remove("fc1.weight");
        e = assertThrows(IllegalArgumentException.class, () -> new PlainLeNet(LeNet.Activation.SIGMOID, LeNet.Pooling.AVG, weights));
        assertTrue(e.getMessage().contains("missing array fc1.weight"), e.getMessage());
    }

    // ---- helpers ----

    /** Each image through both networks; logits equal to {@link #LOGITS_ATOL}. */
    private static void assertSameLogitsAsNd4j(LeNet net, Map<String, NdArray> weights, List<float[]> images) {
        PlainLeNet plain = new PlainLeNet(net.activation(), net.pooling(), weights);
        float[] batch = new float[images.size() * 784];
        for (int n = 0; n < images.size(); n++) System.arraycopy(images.get(n), 0, batch, n * 784, 784);
        float[][] expected = net.forward(Nd4j.create(batch, new long[] {images.size(), 1, 28, 28}, 'c')).toFloatMatrix();
        for (int n = 0; n < images.size(); n++) {
            Compare.assertAllClose("logits of image " + n, doubles(expected[n]), doubles(plain.logits(images.get(n))), 0, LOGITS_ATOL);
        }
    }

    /** {@code random} uniform images in [0, 1), then the sample digits of data/samples as lenet predict sees them. */
    private static List<float[]> images(Random rng, int random) throws IOException {
        List<float[]> images = new ArrayList<>();
        for (int i = 0; i < random; i++) images.add(floats(rng.doubles(784, 0, 1).toArray()));
        try (Stream<Path> files = Files.list(Path.of("data", "samples"))) {
            for (Path f : files.filter(p -> !p.toString().endsWith(".md")).sorted().toList()) {
                byte[] pixels = Preprocessing.fromFile(f, Preprocessing.Invert.AUTO).pixels();
                float[] x = new float[784];
                for (int i = 0; i < 784; i++) x[i] = (pixels[i] & 0xFF) / 255f;
                images.add(x);
            }
        }
        assertTrue(images.size() > random + 5, "the sample images in data/samples");
        return images;
    }

    private static Map<String, NdArray> golden(String fileName) {
        URL url = PlainLeNetTest.class.getResource("/golden/" + fileName);
        assertNotNull(url, "missing test fixture golden/" + fileName
                + "; make it with /usr/bin/python3 src/test/resources/golden/make_lenet_golden.py");
        try {
            return Npz.read(Path.of(url.toURI())).arrays();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, NdArray> arraysOf(LeNet net) {
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        for (Param p : net.params()) arrays.put(p.name(), new NdArray(p.value().shape(), p.value().dup('c').data().asFloat()));
        return arrays;
    }

    private static double[][][][] random(Random rng, int n, int c, int h, int w) {
        double[][][][] a = new double[n][c][h][w];
        for (double[][][] image : a) for (double[][] plane : image) for (double[] row : plane) for (int i = 0; i < w; i++) row[i] = (float) (rng.nextDouble() * 2 - 1); // float values: both sides see the same input
        return a;
    }

    private static double[] flat(double[][][][] a) {
        List<Double> all = new ArrayList<>();
        for (double[][][] image : a) for (double[][] plane : image) for (double[] row : plane) for (double v : row) all.add(v);
        return all.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static float[] floats(double[][][][] a) {
        return floats(flat(a));
    }

    private static float[] floats(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) f[i] = (float) a[i];
        return f;
    }

    private static double[] doubles(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }
}
