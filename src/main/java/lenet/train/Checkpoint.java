package lenet.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import lenet.LenetException;
import lenet.io.NdArray;
import lenet.io.Npy;
import lenet.io.Npz;
import lenet.nn.LeNet;
import lenet.nn.Param;
import lenet.optim.Sgd;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A saved model: an {@code .npz} file (a zip of NumPy {@code .npy} arrays, float32) that
 * {@code numpy.load} reads and whose ten weight arrays have PyTorch's names and layouts:
 *
 * <pre>
 *   conv1.weight [6,1,5,5]   conv1.bias [6]     conv2.weight [16,6,5,5]  conv2.bias [16]
 *   fc1.weight   [120,400]   fc1.bias   [120]   fc2.weight   [84,120]    fc2.bias   [84]
 *   fc3.weight   [10,84]     fc3.bias   [10]
 *   momentum.&lt;name&gt;         SGD velocity of each of the ten (optional)
 *   meta.json                format, architecture, preprocessing, epoch, seed, settings, metrics,
 *                            and a SHA-256 over the arrays (optional: numpy.savez files have none)
 * </pre>
 *
 * Files are written atomically (temp file, fsync, rename), so a crash leaves the previous file whole.
 */
public final class Checkpoint {
    public static final String FORMAT = "lenet-checkpoint";
    public static final int FORMAT_VERSION = 1;
    public static final String META = "meta.json";
    public static final String MOMENTUM = "momentum.";
    public static final String INPUT_NORMALIZATION = "pixel / 255: ink 1.0 on background 0.0, 1x28x28, nothing else";

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * What a checkpoint file holds: the ten weights, optimizer state (maybe empty) and meta (maybe
     * null). The arrays stay plain {@link NdArray}s, so loading a checkpoint does not start ND4J;
     * {@link #model} and {@link #sgdState} convert them (and start it).
     */
    public record Contents(Path file, Map<String, NdArray> weights, Map<String, NdArray> momentum, ObjectNode meta) {
        public LeNet.Activation activation() {
            return meta == null ? LeNet.Activation.SIGMOID : LeNet.Activation.valueOf(text("architecture", "activation", "SIGMOID"));
        }

        /** The run's status when this checkpoint was written (null for files without one: numpy.savez, or lenet before statuses). */
        public RunStatus status() {
            return meta == null ? null : RunStatus.fromJson(meta.path("status").asText(null));
        }

        /** The data set the model was trained on ({@code mnist}, {@code fashion-mnist}), or null when the file does not say. */
        public String dataset() {
            return meta != null && meta.path("dataset").isTextual() ? meta.path("dataset").asText() : null;
        }

        /** The test accuracy recorded after the epoch this checkpoint holds, or NaN when the file does not say. */
        public double testAccuracy() {
            return meta != null && meta.path("metrics").path("test_accuracy").isNumber() ? meta.path("metrics").path("test_accuracy").asDouble() : Double.NaN;
        }

        public LeNet.Pooling pooling() {
            return meta == null ? LeNet.Pooling.AVG : LeNet.Pooling.valueOf(text("architecture", "pooling", "AVG"));
        }

        /** The network these weights describe, on ND4J arrays, with the given architecture (null: the one in meta.json). */
        public LeNet model(LeNet.Activation activation, LeNet.Pooling pooling) {
            return LeNet.fromArrays(activation == null ? activation() : activation, pooling == null ? pooling() : pooling, toIndArrays(weights));
        }

        /** The SGD velocities as {@link Sgd#loadState} takes them, keyed by parameter name (empty when the file has none). */
        public Map<String, INDArray> sgdState() {
            return toIndArrays(momentum);
        }

        private String text(String object, String field, String fallback) {
            JsonNode n = meta.path(object).path(field);
            return n.isTextual() ? n.asText().toUpperCase(java.util.Locale.ROOT) : fallback;
        }
    }

    private Checkpoint() {}

    /** Writes the model, the optimizer's velocities and {@code meta} (completed with format and checksum). */
    public static void save(Path file, LeNet model, Sgd sgd, ObjectNode meta) throws IOException {
        save(file, arraysOf(model), sgd == null ? Map.of() : momentumOf(sgd), meta);
    }

    /** Writes {@code weights}, {@code momentum} (keyed by parameter name) and {@code meta} (completed with format and checksum). */
    public static void save(Path file, Map<String, NdArray> weights, Map<String, NdArray> momentum, ObjectNode meta) throws IOException {
        Map<String, NdArray> arrays = new LinkedHashMap<>(weights);
        momentum.forEach((name, v) -> arrays.put(MOMENTUM + name, v));
        ObjectNode full = JSON.createObjectNode();
        full.put("format", FORMAT);
        full.put("format_version", FORMAT_VERSION);
        full.setAll(meta);
        full.put("arrays_sha256", checksum(arrays));
        Npz.write(file, arrays, Map.of(META, JSON.writeValueAsBytes(full)));
    }

    /** The optimizer's velocities as plain arrays, keyed by parameter name. */
    static Map<String, NdArray> momentumOf(Sgd sgd) {
        Map<String, NdArray> m = new LinkedHashMap<>();
        sgd.state().forEach((name, v) -> m.put(name, toNdArray(v)));
        return m;
    }

    /** Writes {@code file} again with the same arrays and its meta.json's {@code status} set to {@code status}. */
    static void rewriteStatus(Path file, RunStatus status) throws IOException {
        Contents c = load(file);
        ObjectNode meta = c.meta() == null ? JSON.createObjectNode() : c.meta().deepCopy();
        meta.remove(java.util.List.of("format", "format_version", "arrays_sha256"));
        meta.put("status", status.jsonName());
        save(file, c.weights(), c.momentum(), meta);
    }

    /**
     * Only the meta.json of a checkpoint (null when it has none), without reading or checking its
     * arrays: for listing runs. {@link #load} checks everything before a model is used.
     */
    public static ObjectNode readMeta(Path file) {
        byte[] bytes = Npz.readMember(file, META);
        return bytes == null ? null : parseMeta(file, bytes);
    }

    /**
     * Reads and checks a checkpoint: every one of the ten arrays present with its exact shape, a
     * known format version, and the arrays matching the checksum in meta.json when there is one.
     */
    public static Contents load(Path file) {
        Npz.Contents npz = Npz.read(file);
        ObjectNode meta = null;
        byte[] metaBytes = npz.otherMembers().get(META);
        if (metaBytes != null) meta = parseMeta(file, metaBytes);
        Map<String, NdArray> arrays = npz.arrays();
        if (meta != null && meta.has("arrays_sha256")) {
            Map<String, NdArray> saved = new LinkedHashMap<>(arrays);
            if (!checksum(saved).equals(meta.get("arrays_sha256").asText())) {
                throw new LenetException(file + ": the arrays do not match the checksum in meta.json (the file is damaged); use an earlier checkpoint such as epoch-NN.npz");
            }
        }
        Map<String, NdArray> weights = new LinkedHashMap<>();
        Map<String, NdArray> momentum = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> expected : LeNet.PARAM_SHAPES.entrySet()) {
            String name = expected.getKey();
            NdArray a = arrays.get(name);
            if (a == null) {
                throw new LenetException(file + ": no array '" + name + "'; a LeNet checkpoint needs the ten arrays "
                        + String.join(", ", LeNet.PARAM_SHAPES.keySet()) + " (PyTorch state_dict names)");
            }
            checkShape(file, name, a.shape(), expected.getValue());
            weights.put(name, a);
            NdArray v = arrays.get(MOMENTUM + name);
            if (v != null) {
                checkShape(file, MOMENTUM + name, v.shape(), expected.getValue());
                momentum.put(name, v);
            }
        }
        return new Contents(file, weights, momentum, meta);
    }

    private static ObjectNode parseMeta(Path file, byte[] bytes) {
        JsonNode node;
        try {
            node = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new LenetException(file + ": meta.json is not valid JSON; the checkpoint is damaged");
        }
        if (!(node instanceof ObjectNode meta) || !FORMAT.equals(node.path("format").asText())) {
            throw new LenetException(file + ": meta.json does not describe a lenet checkpoint");
        }
        int version = meta.path("format_version").asInt(-1);
        if (version > FORMAT_VERSION) {
            throw new LenetException(file + ": checkpoint format " + version + " is newer than this lenet reads ("
                    + FORMAT_VERSION + "); update lenet");
        }
        if (version < 1) throw new LenetException(file + ": meta.json has no valid format_version; the checkpoint is damaged");
        return meta;
    }

    private static void checkShape(Path file, String name, long[] actual, long[] expected) {
        if (!Arrays.equals(actual, expected)) {
            throw new LenetException(file + ": array '" + name + "' has shape " + Arrays.toString(actual)
                    + ", LeNet needs " + Arrays.toString(expected) + "; was it saved from another network?");
        }
    }

    /** SHA-256 over each array's name and its .npy bytes, in file order. */
    static String checksum(Map<String, NdArray> arrays) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, NdArray> e : arrays.entrySet()) {
                sha.update(e.getKey().getBytes(StandardCharsets.UTF_8));
                sha.update(Npy.write(e.getValue()));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** The model's ten parameters as plain arrays, keyed by PyTorch name, in parameter order. */
    public static Map<String, NdArray> arraysOf(LeNet model) {
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        for (Param p : model.params()) arrays.put(p.name(), toNdArray(p.value()));
        return arrays;
    }

    static NdArray toNdArray(INDArray a) {
        return new NdArray(a.shape(), a.dup('c').data().asFloat());
    }

    static INDArray toIndArray(NdArray a) {
        return Nd4j.create(a.data(), a.shape(), 'c').castTo(DataType.FLOAT);
    }

    static Map<String, INDArray> toIndArrays(Map<String, NdArray> arrays) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        arrays.forEach((name, a) -> out.put(name, toIndArray(a)));
        return out;
    }
}
