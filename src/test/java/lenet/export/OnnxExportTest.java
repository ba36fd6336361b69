package lenet.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import lenet.LenetException;
import lenet.data.Dataset;
import lenet.engine.Network;
import lenet.engine.Sgd;
import lenet.engine.Trainable;
import lenet.engine.reference.ReferenceEngine;
import lenet.export.OnnxProto.GraphProto;
import lenet.export.OnnxProto.ModelProto;
import lenet.export.OnnxProto.NodeProto;
import lenet.export.OnnxProto.TensorProto;
import lenet.export.OnnxProto.ValueInfoProto;
import lenet.io.NdArray;
import lenet.io.Npz;
import lenet.model.Activation;
import lenet.model.Architecture;
import lenet.model.LayerSpec;
import lenet.model.ModelSpec;
import lenet.model.ModelState;
import lenet.model.Norm;
import lenet.model.Pooling;
import lenet.model.TensorSpec;
import lenet.model.Window;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The exported file run by ONNX Runtime on the first 1,000 MNIST test images, against the
 * reference engine on the same numbers: logits within 1e-5, the same predicted digit for every
 * image. Also what the file holds (names, shapes, metadata) and the inputs it refuses.
 */
class OnnxExportTest {
    private static final int IMAGES = 1000;
    private static final double TOLERANCE = 1e-5;

    @TempDir
    static Path tmp;

    static OrtEnvironment ort;
    static float[] images;  // [IMAGES, 1, 28, 28], pixel / 255
    static int[] labels;

    @BeforeAll
    static void mnistTestImages() {
        Path mnist = Path.of("data/mnist");
        if (!Files.isDirectory(mnist)) fail(mnist + " is missing: run scripts/fetch-data.sh, then re-run the tests");
        Dataset test = Dataset.loadSplit(mnist, "test").limit(IMAGES);
        images = pixels(test, 0, IMAGES);
        labels = new int[IMAGES];
        for (int i = 0; i < IMAGES; i++) labels[i] = test.label(i);
        ort = OrtEnvironment.getEnvironment();
    }

    static Stream<Arguments> fourNetworks() {
        return Stream.of(
                Arguments.of(Activation.SIGMOID, Pooling.AVG),
                Arguments.of(Activation.SIGMOID, Pooling.MAX),
                Arguments.of(Activation.RELU, Pooling.AVG),
                Arguments.of(Activation.RELU, Pooling.MAX));
    }

    @ParameterizedTest(name = "{0}/{1}, Xavier weights")
    @MethodSource("fourNetworks")
    void onnxRuntimeMatchesTheReferenceEngineOnXavierWeights(Activation activation, Pooling pooling) throws Exception {
        ModelSpec spec = Architecture.lenet(activation, pooling, Norm.NONE).spec();
        ModelState state = spec.initialState(new Random(7), activation == Activation.SIGMOID ? 4 : 1);

        Comparison c = compare(spec, state);

        c.print(spec.title() + ", Xavier weights");
        assertTrue(c.maxDiff <= TOLERANCE, "largest logit difference " + c.maxDiff);
        assertEquals(0, c.predictionsDiffering, "images whose predicted digit differs");
    }

    /** PyTorch's own initial weights of the golden tests, the same check. */
    @ParameterizedTest(name = "{0}/{1}, PyTorch's weights")
    @MethodSource("goldenNetworks")
    void onnxRuntimeMatchesTheReferenceEngineOnPyTorchWeights(Activation activation, Pooling pooling) throws Exception {
        String file = "lenet_" + activation.cliName() + "_" + pooling.cliName() + ".npz";
        ModelSpec spec = Architecture.lenet(activation, pooling, Norm.NONE).spec();
        ModelState state = ModelState.of(spec, golden(file));

        Comparison c = compare(spec, state);

        c.print(spec.title() + ", PyTorch's initial weights");
        assertTrue(c.maxDiff <= TOLERANCE, "largest logit difference " + c.maxDiff);
        assertEquals(0, c.predictionsDiffering);
    }

    /**
     * A network that has learned something, so the predictions are digits: relu/max pool trained
     * briefly on the reference engine (100 steps of 32 images: about 88% on these images; the
     * sigmoid network would still sit on its 10% plateau); ONNX Runtime gives every prediction it gives.
     */
    @Test
    void onnxRuntimeGivesATrainedNetworksPredictions() throws Exception {
        ModelSpec spec = Architecture.lenet(Activation.RELU, Pooling.MAX, Norm.NONE).spec();
        ModelState state = trainBriefly(spec, spec.initialState(new Random(1), 1), 0.03);

        Comparison c = compare(spec, state);

        c.print(spec.title() + ", trained briefly");
        assertTrue(c.accuracy > 0.8, "the short training reached " + c.accuracy);
        assertTrue(c.maxDiff <= TOLERANCE, "largest logit difference " + c.maxDiff);
        assertEquals(0, c.predictionsDiffering);
    }

    /** d2l's batch-normalised LeNet with PyTorch's parameters and running statistics after three steps. */
    @ParameterizedTest(name = "batch norm, {0}/{1}")
    @MethodSource("goldenNetworks")
    void onnxRuntimeMatchesTheReferenceEngineWithBatchNorm(Activation activation, Pooling pooling) throws Exception {
        ModelSpec spec = Architecture.lenet(activation, pooling, Norm.BATCH).spec();
        Map<String, NdArray> arrays = new HashMap<>();
        golden("lenet_bn_" + activation.cliName() + "_" + pooling.cliName() + ".npz").forEach((name, a) -> {
            if (name.startsWith("step3.")) arrays.put(name.substring("step3.".length()), a);
        });
        ModelState state = ModelState.of(spec, arrays);
        float[] runningVar = state.buffers().get("bn3.running_var").data();
        assertTrue(runningVar[0] != 1f, "the running statistics have moved from their start");

        Comparison c = compare(spec, state);

        c.print(spec.title() + ", PyTorch's state after 3 steps");
        assertTrue(c.maxDiff <= TOLERANCE, "largest logit difference " + c.maxDiff);
        assertEquals(0, c.predictionsDiffering);
    }

    /** The networks of src/test/resources/golden, with and without batch norm. */
    static Stream<Arguments> goldenNetworks() {
        return Stream.of(Arguments.of(Activation.SIGMOID, Pooling.AVG), Arguments.of(Activation.RELU, Pooling.MAX));
    }

    /**
     * The exporter knows no LeNet: a spec of its own with what LeNet never uses (stride 2 and
     * padding in a conv, padded max and average pooling, a 3x3 window with stride 1, batch norm on
     * maps and on vectors with moved statistics) runs the same in ONNX Runtime.
     */
    @Test
    void anySpecExportsLayerByLayer() throws Exception {
        List<LayerSpec> layers = List.of(
                new LayerSpec.Conv2d("c1", 1, 4, Window.square(3, 2, 1)),                 // 28 -> 14
                new LayerSpec.BatchNorm("n1", 4, 1e-3, 0.1),
                new LayerSpec.Act("a1", Activation.RELU),
                new LayerSpec.Pool2d("p1", Pooling.MAX, Window.square(3, 2, 1)),           // 14 -> 7
                new LayerSpec.Conv2d("c2", 4, 5, new Window(3, 2, 1, 1, 1, 0)),            // 7x7 -> 7x6
                new LayerSpec.Pool2d("p2", Pooling.AVG, Window.square(3, 1, 1)),           // padding counted, as PyTorch
                new LayerSpec.Act("a2", Activation.SIGMOID),
                new LayerSpec.Flatten("f"),
                new LayerSpec.Linear("l1", 5 * 7 * 6, 12),
                new LayerSpec.BatchNorm("n2", 12, 1e-5, 0.1),
                new LayerSpec.Act("a3", Activation.SIGMOID),
                new LayerSpec.Linear("l2", 12, 10));
        ModelSpec spec = new ModelSpec(Architecture.lenetDefault(), new int[] {1, 28, 28}, 10, layers);
        Random rng = new Random(3);
        ModelState init = spec.initialState(rng, 1);
        Map<String, NdArray> arrays = new LinkedHashMap<>(init.all());
        for (TensorSpec t : spec.buffers()) { // statistics a training run could have left
            float[] v = new float[t.size()];
            for (int i = 0; i < v.length; i++) v[i] = t.name().endsWith("running_var") ? 0.2f + rng.nextFloat() : (float) rng.nextGaussian() * 0.3f;
            arrays.put(t.name(), new NdArray(t.shape(), v));
        }
        ModelState state = ModelState.of(spec, arrays);

        Comparison c = compare(spec, state);

        c.print("a spec with strides, padding and batch norm 2d and 1d");
        assertTrue(c.maxDiff <= TOLERANCE, "largest logit difference " + c.maxDiff);
        assertEquals(0, c.predictionsDiffering);
    }

    @Test
    void theFileHoldsEveryWeightByNameEveryShapeAndTheMetadata() throws Exception {
        ModelSpec spec = Architecture.lenet(Activation.RELU, Pooling.MAX, Norm.BATCH).spec();
        ModelState state = spec.initialState(new Random(2), 1);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("input_normalization", "pixel / 255");
        metadata.put("metrics.test_accuracy", "0.991");
        Path file = tmp.resolve("bn.onnx");

        OnnxExport.write(file, spec, state, metadata);
        ModelProto model = ModelProto.parseFrom(Files.readAllBytes(file));

        assertEquals(7, model.getIrVersion());
        assertEquals(1, model.getOpsetImportCount());
        assertEquals("", model.getOpsetImport(0).getDomain());
        assertEquals(13, model.getOpsetImport(0).getVersion());
        assertEquals("lenet", model.getProducerName());
        assertFalse(model.getProducerVersion().isEmpty());
        assertTrue(model.getDocString().contains("metrics.test_accuracy: 0.991"), model.getDocString());
        assertEquals("metrics.test_accuracy", model.getMetadataProps(1).getKey());
        assertEquals("0.991", model.getMetadataProps(1).getValue());
        GraphProto g = model.getGraph();
        // Every parameter and running statistic under its PyTorch name, with its shape and values.
        List<String> expected = new ArrayList<>();
        for (TensorSpec t : spec.parameters()) expected.add(t.name());
        for (TensorSpec t : spec.buffers()) if (!t.name().endsWith("num_batches_tracked")) expected.add(t.name());
        assertEquals(expected.stream().sorted().toList(), g.getInitializerList().stream().map(TensorProto::getName).sorted().toList());
        for (TensorProto t : g.getInitializerList()) {
            NdArray a = state.all().get(t.getName());
            assertArrayEquals(a.shape(), t.getDimsList().stream().mapToLong(Long::longValue).toArray(), t.getName());
            float[] values = new float[t.getFloatDataCount()];
            for (int i = 0; i < values.length; i++) values[i] = t.getFloatData(i);
            assertArrayEquals(a.data(), values, t.getName());
        }
        // One node per layer, named after it, then the softmax; every tensor between them has its shape.
        List<String> nodes = g.getNodeList().stream().map(NodeProto::getName).toList();
        List<String> layerNames = new ArrayList<>(spec.layers().stream().map(LayerSpec::name).toList());
        layerNames.add("softmax");
        assertEquals(layerNames, nodes);
        List<ModelSpec.Stage> stages = spec.stages();
        assertEquals(stages.size() - 1, g.getValueInfoCount());
        for (int k = 0; k < stages.size() - 1; k++) {
            ValueInfoProto v = g.getValueInfo(k);
            assertEquals(stages.get(k).name(), v.getName());
            assertEquals("N", v.getType().getTensorType().getShape().getDim(0).getDimParam());
            int[] shape = stages.get(k).outputShape();
            assertEquals(shape.length + 1, v.getType().getTensorType().getShape().getDimCount(), v.getName());
            for (int d = 0; d < shape.length; d++) {
                assertEquals(shape[d], v.getType().getTensorType().getShape().getDim(d + 1).getDimValue(), v.getName());
            }
        }
        assertEquals("BatchNormalization", g.getNode(1).getOpType());
        assertEquals(List.of("conv1", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var"), g.getNode(1).getInputList());

        // ONNX Runtime sees the same: input image [N,1,28,28], outputs logits and probabilities [N,10], the metadata.
        try (OrtSession s = ort.createSession(file.toString(), new OrtSession.SessionOptions())) {
            assertEquals(List.of("image"), new ArrayList<>(s.getInputNames()));
            assertEquals(List.of("logits", "probabilities"), new ArrayList<>(s.getOutputNames()));
            NodeInfo in = s.getInputInfo().get("image");
            assertArrayEquals(new long[] {-1, 1, 28, 28}, ((TensorInfo) in.getInfo()).getShape());
            assertArrayEquals(new long[] {-1, 10}, ((TensorInfo) s.getOutputInfo().get("probabilities").getInfo()).getShape());
            assertEquals("lenet", s.getMetadata().getProducerName());
            assertEquals("0.991", s.getMetadata().getCustomMetadata().get("metrics.test_accuracy"));
            assertEquals(spec.title(), s.getMetadata().getGraphName());
        }
    }

    @Test
    void aStateThatDoesNotFitTheSpecIsRefusedInOneLineNamingTheArray() {
        ModelSpec spec = Architecture.lenet(Activation.SIGMOID, Pooling.AVG, Norm.BATCH).spec();
        Map<String, NdArray> arrays = new LinkedHashMap<>(spec.initialState(new Random(1), 1).all());
        arrays.remove("bn2.running_var");
        ModelState partial = new ModelState(arrays, Map.of());
        Path file = tmp.resolve("partial.onnx");

        LenetException e = assertThrows(LenetException.class, () -> OnnxExport.write(file, spec, partial, Map.of()));

        assertOneLine(e.getMessage());
        assertTrue(e.getMessage().contains("bn2.running_var") && e.getMessage().contains("partial.onnx"), e.getMessage());
        assertFalse(Files.exists(file));
    }

    @Test
    void aWeightThatIsNotFiniteIsRefused() {
        ModelSpec spec = Architecture.lenetDefault().spec();
        Map<String, NdArray> arrays = new LinkedHashMap<>(spec.initialState(new Random(1), 1).all());
        float[] w = arrays.get("fc2.weight").data().clone();
        w[5] = Float.NaN;
        arrays.put("fc2.weight", new NdArray(arrays.get("fc2.weight").shape(), w));

        LenetException e = assertThrows(LenetException.class,
                () -> OnnxExport.write(tmp.resolve("nan.onnx"), spec, new ModelState(arrays, Map.of()), Map.of()));

        assertOneLine(e.getMessage());
        assertTrue(e.getMessage().contains("fc2.weight") && e.getMessage().contains("NaN"), e.getMessage());
    }

    @Test
    void anOutputInAMissingFolderOrOnAFolderIsRefusedInOneLine() throws Exception {
        ModelSpec spec = Architecture.lenetDefault().spec();
        ModelState state = spec.initialState(new Random(1), 1);
        Path missing = tmp.resolve("no-such-folder").resolve("m.onnx");
        Path folder = Files.createDirectories(tmp.resolve("a-folder"));

        LenetException e1 = assertThrows(LenetException.class, () -> OnnxExport.write(missing, spec, state, Map.of()));
        LenetException e2 = assertThrows(LenetException.class, () -> OnnxExport.write(folder, spec, state, Map.of()));

        assertOneLine(e1.getMessage());
        assertTrue(e1.getMessage().contains("no-such-folder") && e1.getMessage().contains("does not exist"), e1.getMessage());
        assertOneLine(e2.getMessage());
        assertTrue(e2.getMessage().contains("is a folder"), e2.getMessage());
        assertTrue(Files.isDirectory(folder));
    }

    @Test
    void aLayerWhoseNameClashesWithAGraphTensorIsRefused() {
        List<LayerSpec> layers = List.of(new LayerSpec.Flatten("probabilities"), new LayerSpec.Linear("fc", 784, 10));
        ModelSpec spec = new ModelSpec(Architecture.lenetDefault(), new int[] {1, 28, 28}, 10, layers);
        ModelState state = spec.initialState(new Random(1), 1);

        LenetException e = assertThrows(LenetException.class, () -> OnnxExport.write(tmp.resolve("clash.onnx"), spec, state, Map.of()));

        assertOneLine(e.getMessage());
        assertTrue(e.getMessage().contains("probabilities"), e.getMessage());
    }

    // --- helpers -----------------------------------------------------------------------------------

    /** The largest logit difference, how many predictions differ, the ONNX model's accuracy. */
    record Comparison(double maxDiff, int predictionsDiffering, double accuracy, double maxProbabilityError) {
        void print(String what) {
            System.out.printf(java.util.Locale.ROOT, "ONNX Runtime vs reference engine, %s, %d MNIST test images: largest |logit difference| %.3g, "
                            + "predictions differing %d, accuracy %.2f%%, largest |probabilities - softmax(logits)| %.3g%n",
                    what, IMAGES, maxDiff, predictionsDiffering, 100 * accuracy, maxProbabilityError);
        }
    }

    /** Exports, runs the file in ONNX Runtime on the 1,000 images, and compares with the reference engine. */
    static Comparison compare(ModelSpec spec, ModelState state) throws Exception {
        Path file = Files.createTempFile(tmp, "model", ".onnx");
        OnnxExport.write(file, spec, state, Map.of("input_normalization", "pixel / 255"));
        float[] expected = new ReferenceEngine().network(spec, state).logits(images, IMAGES);
        float[][] logits;
        float[][] probabilities;
        try (OrtSession s = ort.createSession(file.toString(), new OrtSession.SessionOptions());
             OnnxTensor x = OnnxTensor.createTensor(ort, FloatBuffer.wrap(images), new long[] {IMAGES, 1, 28, 28});
             OrtSession.Result r = s.run(Map.of("image", x))) {
            logits = (float[][]) r.get("logits").orElseThrow().getValue();
            probabilities = (float[][]) r.get("probabilities").orElseThrow().getValue();
        }
        int classes = spec.classes();
        double maxDiff = 0, maxProbabilityError = 0;
        int differing = 0, correct = 0;
        for (int i = 0; i < IMAGES; i++) {
            float[] ref = java.util.Arrays.copyOfRange(expected, i * classes, (i + 1) * classes);
            for (int k = 0; k < classes; k++) maxDiff = Math.max(maxDiff, Math.abs(logits[i][k] - ref[k]));
            int p = argmax(logits[i]);
            if (p != argmax(ref)) differing++;
            if (p == labels[i]) correct++;
            double[] softmax = softmax(logits[i]);
            for (int k = 0; k < classes; k++) maxProbabilityError = Math.max(maxProbabilityError, Math.abs(probabilities[i][k] - softmax[k]));
        }
        assertTrue(maxProbabilityError < 1e-6, "probabilities are the softmax of the logits: " + maxProbabilityError);
        return new Comparison(maxDiff, differing, (double) correct / IMAGES, maxProbabilityError);
    }

    /** 100 SGD steps (momentum 0.9) of 32 images each over the first training images, on the reference engine. */
    static ModelState trainBriefly(ModelSpec spec, ModelState init, double lr) {
        Dataset train = Dataset.loadSplit(Path.of("data/mnist"), "train");
        Trainable t = new ReferenceEngine().trainable(spec, init, new Sgd(0.9, 0), Map.of());
        int batch = 32, steps = 100;
        for (int s = 0; s < steps; s++) {
            int from = s * batch;
            int[] y = new int[batch];
            for (int i = 0; i < batch; i++) y[i] = train.label(from + i);
            t.step(pixels(train, from, batch), y, batch, lr);
        }
        return t.state();
    }

    static float[] pixels(Dataset d, int from, int n) {
        int size = d.pixelsPerImage();
        float[] x = new float[n * size];
        for (int i = 0; i < x.length; i++) x[i] = (d.pixels()[from * size + i] & 0xff) / 255f;
        return x;
    }

    static Map<String, NdArray> golden(String file) {
        URL url = OnnxExportTest.class.getResource("/golden/" + file);
        assertNotNull(url, "missing test fixture golden/" + file);
        try {
            return Npz.read(Path.of(url.toURI())).arrays();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int k = 1; k < v.length; k++) if (v[k] > v[best]) best = k;
        return best;
    }

    static double[] softmax(float[] z) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (float v : z) max = Math.max(max, v);
        double[] p = new double[z.length];
        for (int k = 0; k < z.length; k++) sum += p[k] = Math.exp(z[k] - max);
        for (int k = 0; k < z.length; k++) p[k] /= sum;
        return p;
    }

    static void assertOneLine(String message) {
        assertFalse(message.contains("\n"), message);
        assertFalse(message.contains("Exception"), message);
    }
}
