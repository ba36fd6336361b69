package lenet.export;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import lenet.LenetException;
import lenet.io.AtomicFiles;
import lenet.io.NdArray;
import lenet.model.Activation;
import lenet.model.LayerSpec;
import lenet.model.ModelSpec;
import lenet.model.ModelState;
import lenet.model.Pooling;
import lenet.model.Window;
import lenet.export.OnnxProto.AttributeProto;
import lenet.export.OnnxProto.GraphProto;
import lenet.export.OnnxProto.ModelProto;
import lenet.export.OnnxProto.NodeProto;
import lenet.export.OnnxProto.OperatorSetIdProto;
import lenet.export.OnnxProto.StringStringEntryProto;
import lenet.export.OnnxProto.TensorProto;
import lenet.export.OnnxProto.TensorShapeProto;
import lenet.export.OnnxProto.TypeProto;
import lenet.export.OnnxProto.ValueInfoProto;

/**
 * A model as an ONNX file (opset 13, IR version 7), built from its spec layer by layer, for ONNX
 * Runtime, OpenCV's dnn module, Netron and anything else that reads ONNX.
 *
 * <p>The graph:
 * <pre>
 *   image          float [N, C, H, W]   the spec's input (for LeNet [N, 1, 28, 28], pixel / 255); N is symbolic
 *   one node per layer, named after it, its output tensor too:
 *     Conv2d     -> Conv (kernel_shape, strides, pads, dilations 1, group 1)    cross-correlation, as PyTorch
 *     Pool2d     -> MaxPool, or AveragePool with count_include_pad = 1 (PyTorch divides by the full window)
 *     Act        -> Sigmoid or Relu
 *     Flatten    -> Flatten (axis 1: [N, C, H, W] to [N, C*H*W] in C, H, W order, as PyTorch)
 *     Linear     -> Gemm (transB = 1: y = x W^T + b with W [out, in] as PyTorch stores it)
 *     BatchNorm  -> BatchNormalization in its inference form (running mean and variance)
 *   logits         float [N, classes]   the last layer's output
 *   probabilities  float [N, classes]   Softmax over axis 1 of the logits
 * </pre>
 * Every parameter and running statistic is an initializer under its PyTorch name ({@code conv1.weight},
 * {@code bn1.running_var}); {@code num_batches_tracked} is left out (inference never reads it). Every
 * tensor between two nodes has a {@code value_info} with its shape, so viewers show the shapes.
 *
 * <p>Batch norm stays a BatchNormalization node rather than being folded into the conv or dense
 * layer before it: the initializers are then exactly the checkpoint's arrays under their names, the
 * graph shows the network as it was trained, and runtimes fold it themselves when they optimise.
 */
public final class OnnxExport {
    /** The operator set: read by current ONNX Runtime and by OpenCV 4.6's dnn module. */
    public static final int OPSET = 13;
    /** The file format version that goes with opset 13 (ONNX 1.8). */
    public static final long IR_VERSION = 7;
    public static final String INPUT = "image";
    public static final String LOGITS = "logits";
    public static final String PROBABILITIES = "probabilities";
    /** The symbolic batch dimension of the input and of every tensor after it. */
    public static final String BATCH = "N";
    /** The metadata key whose value, when given, describes what the input holds (as checkpoints' meta.json). */
    public static final String INPUT_NORMALIZATION = "input_normalization";

    private OnnxExport() {}

    /**
     * Writes {@code spec} with {@code state}'s numbers to {@code file} (atomically: a crash leaves any
     * previous file whole). {@code metadata} (e.g. a checkpoint's training settings and metrics)
     * becomes the model's metadata_props and goes into its description, in the map's order.
     *
     * @throws LenetException one line, when the state does not fit the spec or the file cannot be written
     */
    public static void write(Path file, ModelSpec spec, ModelState state, Map<String, String> metadata) {
        if (Files.isDirectory(file)) {
            throw new LenetException(file + " is a folder; give the file to write, e.g. " + file.resolve("model.onnx"));
        }
        ModelProto model;
        try {
            model = model(spec, state, metadata);
        } catch (IllegalArgumentException e) {
            throw new LenetException("cannot export " + spec.title() + " to " + file + ": " + e.getMessage(), e);
        }
        AtomicFiles.write(file, model::writeTo);
    }

    /**
     * The ONNX model of {@code spec} holding {@code state}'s arrays, with {@code metadata} (no null
     * keys or values) as its metadata_props and in its description; the value under
     * {@value #INPUT_NORMALIZATION}, when there is one, also describes the input.
     *
     * @throws IllegalArgumentException naming the array or layer when the state does not fit the spec
     *                                  (missing, misshapen or non-finite arrays) or a layer has no ONNX form
     */
    public static ModelProto model(ModelSpec spec, ModelState state, Map<String, String> metadata) {
        ModelState checked = ModelState.of(spec, state.all());
        Graph g = new Graph(checked.all());
        int[] shape = spec.inputShape();
        g.graph.addInput(g.valueInfo(INPUT, shape, "the input: " + metadata.getOrDefault(INPUT_NORMALIZATION,
                "one sample of shape " + Arrays.toString(shape) + " per row of N")));
        String x = INPUT;
        List<LayerSpec> layers = spec.layers();
        StringBuilder table = new StringBuilder(spec.title()).append(", layer by layer (output shape per sample):\n");
        for (int k = 0; k < layers.size(); k++) {
            LayerSpec layer = layers.get(k);
            shape = layer.outputShape(shape);
            String y = k == layers.size() - 1 ? LOGITS : layer.name();
            g.claim(layer.name(), y);
            g.graph.addNode(node(g, layer, x, y));
            if (!y.equals(LOGITS)) g.graph.addValueInfo(g.valueInfo(y, shape, layer.describe()));
            table.append(String.format(Locale.ROOT, "  %-10s %-30s %s%n", layer.name(), layer.describe(), Arrays.toString(shape)));
            x = y;
        }
        g.claim("softmax", PROBABILITIES);
        g.graph.addNode(NodeProto.newBuilder().setName("softmax").setOpType("Softmax")
                .addInput(LOGITS).addOutput(PROBABILITIES).addAttribute(intAttr("axis", 1))
                .setDocString("probabilities = softmax(logits) over the classes; argmax of either is the prediction"));
        g.graph.addOutput(g.valueInfo(LOGITS, shape, "one score per class (" + spec.classes() + "), before the softmax"));
        g.graph.addOutput(g.valueInfo(PROBABILITIES, shape, "softmax of the logits: each row sums to 1"));
        g.graph.setName(spec.title()).setDocString(table.toString().stripTrailing());

        ModelProto.Builder model = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName("lenet")
                .setProducerVersion(producerVersion())
                .setDocString(description(spec, metadata))
                .setGraph(g.graph);
        metadata.forEach((key, value) -> model.addMetadataProps(StringStringEntryProto.newBuilder().setKey(key).setValue(value)));
        return model.build();
    }

    /**
     * The one place that turns a layer into ONNX. (Java 17 has no pattern switch; the sealed LayerSpec
     * lists every kind, and a kind missing here is refused on the first model that has it.)
     */
    private static NodeProto node(Graph g, LayerSpec layer, String x, String y) {
        NodeProto.Builder n = NodeProto.newBuilder().setName(layer.name()).addInput(x).addOutput(y);
        if (layer instanceof LayerSpec.Conv2d c) {
            Window w = c.window();
            return n.setOpType("Conv")
                    .addInput(g.initializer(c.name() + ".weight")).addInput(g.initializer(c.name() + ".bias"))
                    .addAttribute(intsAttr("kernel_shape", w.kernelH(), w.kernelW()))
                    .addAttribute(intsAttr("strides", w.strideH(), w.strideW()))
                    .addAttribute(intsAttr("pads", w.padH(), w.padW(), w.padH(), w.padW())) // begin H, W, end H, W
                    .addAttribute(intsAttr("dilations", 1, 1))
                    .addAttribute(intAttr("group", 1))
                    .setDocString(c.describe() + ": 2D cross-correlation (no kernel flip, as PyTorch), weight [out, in, kh, kw]")
                    .build();
        } else if (layer instanceof LayerSpec.Pool2d p) {
            Window w = p.window();
            n.setOpType(p.kind() == Pooling.MAX ? "MaxPool" : "AveragePool")
                    .addAttribute(intsAttr("kernel_shape", w.kernelH(), w.kernelW()))
                    .addAttribute(intsAttr("strides", w.strideH(), w.strideW()))
                    .addAttribute(intsAttr("pads", w.padH(), w.padW(), w.padH(), w.padW()))
                    .addAttribute(intAttr("ceil_mode", 0)); // floor((n + 2p - k) / s) + 1, as PyTorch's default
            if (p.kind() == Pooling.AVG) {
                n.addAttribute(intAttr("count_include_pad", 1)) // divide by the full window, padding included, as PyTorch
                        .setDocString(p.describe() + ": the mean of each window, divided by the full window size");
            } else {
                n.setDocString(p.describe() + ": the largest value of each window (padding never wins)");
            }
            return n.build();
        } else if (layer instanceof LayerSpec.Act a) {
            return a.kind() == Activation.SIGMOID
                    ? n.setOpType("Sigmoid").setDocString("1 / (1 + e^-x), elementwise").build()
                    : n.setOpType("Relu").setDocString("max(0, x), elementwise").build();
        } else if (layer instanceof LayerSpec.Flatten) {
            return n.setOpType("Flatten").addAttribute(intAttr("axis", 1))
                    .setDocString("[N, C, H, W] to [N, C*H*W], row-major (C, H, W order, as PyTorch's flatten)").build();
        } else if (layer instanceof LayerSpec.Linear l) {
            return n.setOpType("Gemm")
                    .addInput(g.initializer(l.name() + ".weight")).addInput(g.initializer(l.name() + ".bias"))
                    .addAttribute(floatAttr("alpha", 1f)).addAttribute(floatAttr("beta", 1f))
                    .addAttribute(intAttr("transA", 0)).addAttribute(intAttr("transB", 1))
                    .setDocString(l.describe() + ": y = x W^T + b, weight W [out, in] as PyTorch's Linear stores it")
                    .build();
        } else if (layer instanceof LayerSpec.BatchNorm b) {
            String p = b.name();
            return n.setOpType("BatchNormalization")
                    .addInput(g.initializer(p + ".weight")).addInput(g.initializer(p + ".bias"))
                    .addInput(g.initializer(p + ".running_mean")).addInput(g.initializer(p + ".running_var"))
                    .addAttribute(floatAttr("epsilon", (float) b.eps()))
                    // ONNX's momentum weighs the old running value, PyTorch's the new batch; unused in inference.
                    .addAttribute(floatAttr("momentum", (float) (1 - b.momentum())))
                    .setDocString(b.describe() + ", inference form: y = (x - running_mean) / sqrt(running_var + "
                            + (float) b.eps() + ") * weight + bias, per channel")
                    .build();
        }
        throw new IllegalArgumentException("layer " + layer.name() + " (" + layer.describe() + ") has no ONNX form in this lenet; "
                + "export a model of Conv2d, Pool2d, Act, Flatten, Linear and BatchNorm layers");
    }

    /** The graph being built: nodes, initializers, the names taken so far, the model's arrays. */
    private static final class Graph {
        final GraphProto.Builder graph = GraphProto.newBuilder();
        final Map<String, NdArray> arrays;
        final Set<String> names = new HashSet<>(Set.of(INPUT));

        Graph(Map<String, NdArray> arrays) {
            this.arrays = arrays;
        }

        /** Takes a node name and its output tensor's name; two of either would make an invalid graph. */
        void claim(String node, String tensor) {
            if (!names.add("node " + node)) throw new IllegalArgumentException("two nodes would be named " + node + "; rename the layer");
            if (!names.add(tensor)) throw new IllegalArgumentException("two tensors would be named " + tensor + "; rename the layer");
        }

        /** Adds the model's array {@code name} as an initializer (float32, row-major) and returns the name. */
        String initializer(String name) {
            NdArray a = arrays.get(name);
            if (a == null) throw new IllegalArgumentException("the model has no array '" + name + "'");
            if (!names.add(name)) throw new IllegalArgumentException("two tensors would be named " + name + "; rename the layer");
            TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE);
            for (long d : a.shape()) t.addDims(d);
            for (float v : a.data()) t.addFloatData(v);
            graph.addInitializer(t);
            return name;
        }

        /** A float tensor [N, shape...] with N the symbolic batch. */
        ValueInfoProto valueInfo(String name, int[] shape, String doc) {
            TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
            s.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH));
            for (int d : shape) s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
            TypeProto.Tensor.Builder type = TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(s);
            return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(type)).setDocString(doc).build();
        }
    }

    /** The description Netron shows first: what goes in and out, then the metadata as {@code key: value} lines. */
    private static String description(ModelSpec spec, Map<String, String> metadata) {
        int[] in = spec.inputShape();
        StringBuilder s = new StringBuilder();
        String version = OnnxExport.class.getPackage().getImplementationVersion();
        s.append(spec.title()).append(", exported by lenet ").append(version == null ? "(development build)" : version).append(".\n");
        s.append("Input '").append(INPUT).append("': float32 [").append(BATCH);
        for (int d : in) s.append(", ").append(d);
        s.append("]").append(metadata.containsKey(INPUT_NORMALIZATION) ? ", " + metadata.get(INPUT_NORMALIZATION) : "").append(".\n");
        s.append("Outputs '").append(LOGITS).append("' float32 [").append(BATCH).append(", ").append(spec.classes())
                .append("] and '").append(PROBABILITIES).append("', their softmax; the prediction is the argmax of either.\n");
        if (!spec.buffers().isEmpty()) s.append("Batch norm in inference form: the running mean and variance of training.\n");
        if (!metadata.isEmpty()) {
            s.append('\n');
            metadata.forEach((key, value) -> s.append(key).append(": ").append(value).append('\n'));
        }
        return s.toString().stripTrailing();
    }

    /** This build's version from the jar's manifest, or {@code development build} when run from classes. */
    static String producerVersion() {
        String v = OnnxExport.class.getPackage().getImplementationVersion();
        return v == null ? "development build" : v;
    }

    private static AttributeProto intAttr(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    private static AttributeProto intsAttr(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) a.addInts(v);
        return a.build();
    }

    private static AttributeProto floatAttr(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }
}
