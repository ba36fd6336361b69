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
 *                            and a SHA-256 over the arrays and meta.json (optional: numpy.savez files have none)
 * </pre>
 *
 * Files are written atomically (temp file, fsync, rename), so a crash leaves the previous file whole.
 *
 * <p>What loading trusts: a file with lenet's meta.json must carry its checksum, which (format 2)
 * covers every array and every field of meta.json, so an edited architecture, normalisation or
 * setting is refused like a damaged array. Format 1 files (written before format 2) still load:
 * their checksum covers the arrays only, so their meta.json is taken as it is. A file without
 * meta.json (numpy.savez of a PyTorch state_dict) has nothing to check against. In every case the
 * ten arrays must have their exact shapes and finite values, and the architecture must be one this
 * lenet knows.
 */
public final class Checkpoint {
    public static final String FORMAT = "lenet-checkpoint";
    public static final int FORMAT_VERSION = 2;
    /** Format 2: SHA-256 over the arrays and meta.json (all of it but this field). */
    static final String CHECKSUM = "checksum_sha256";
    /** Format 1: SHA-256 over the arrays only. */
    static final String ARRAYS_CHECKSUM = "arrays_sha256";
    static final String EARLIER = "use an earlier checkpoint such as epoch-NN.npz";
    public static final String META = "meta.json";
    public static final String MOMENTUM = "momentum.";
    public static final String INPUT_NORMALIZATION = "pixel / 255: ink 1.0 on background 0.0, 1x28x28, nothing else";

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /**
     * What a checkpoint file holds: the ten weights, optimizer state (maybe empty) and meta (maybe
     * null). The arrays stay plain {@link NdArray}s, so loading a checkpoint does not start ND4J;
     * {@link #model} and {@link #sgdState} convert them (and start it).
     */
    public record Contents(Path file, Map<String, NdArray> weights, Map<String, NdArray> momentum, ObjectNode meta) {
        public LeNet.Activation activation() {
            return known(file, meta, "activation", LeNet.Activation.values(), LeNet.Activation::cliName, LeNet.Activation.SIGMOID);
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
            return known(file, meta, "pooling", LeNet.Pooling.values(), LeNet.Pooling::cliName, LeNet.Pooling.AVG);
        }

        /** The network these weights describe, on ND4J arrays, with the given architecture (null: the one in meta.json). */
        public LeNet model(LeNet.Activation activation, LeNet.Pooling pooling) {
            return LeNet.fromArrays(activation == null ? activation() : activation, pooling == null ? pooling() : pooling, toIndArrays(weights));
        }

        /** The SGD velocities as {@link Sgd#loadState} takes them, keyed by parameter name (empty when the file has none). */
        public Map<String, INDArray> sgdState() {
            return toIndArrays(momentum);
        }
    }

    /**
     * meta.json's {@code architecture.<field>} as one of {@code values} (by CLI name, any case), or
     * {@code fallback} when there is no meta.json or no such field; an unknown value is one line
     * listing the known ones.
     */
    private static <E> E known(Path file, ObjectNode meta, String field, E[] values, java.util.function.Function<E, String> name, E fallback) {
        JsonNode n = meta == null ? null : meta.path("architecture").get(field);
        if (n == null || n.isNull()) return fallback;
        for (E v : values) {
            if (n.isTextual() && name.apply(v).equalsIgnoreCase(n.asText())) return v;
        }
        java.util.List<String> names = new java.util.ArrayList<>();
        for (E v : values) names.add(name.apply(v));
        throw new LenetException(file + ": meta.json's architecture." + field + " is " + n + ", which this lenet does not know ("
                + String.join(", ", names) + "); was it written by a newer lenet?");
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
        full.remove(CHECKSUM);
        full.remove(ARRAYS_CHECKSUM);
        // The checksum is taken over meta.json as it will be read back, so reader and writer agree.
        full.put(CHECKSUM, checksum(arrays, JSON.readTree(JSON.writeValueAsBytes(full))));
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
     * Reads and checks a checkpoint: a known format version, the checksum (required in lenet's
     * own files), a known architecture, and every one of the ten arrays present with its exact
     * shape and finite values (momentum arrays too).
     */
    public static Contents load(Path file) {
        Npz.Contents npz = Npz.read(file);
        ObjectNode meta = null;
        byte[] metaBytes = npz.otherMembers().get(META);
        if (metaBytes != null) meta = parseMeta(file, metaBytes);
        Map<String, NdArray> arrays = npz.arrays();
        if (meta != null) verifyChecksum(file, arrays, meta);
        else if (arrays.keySet().stream().anyMatch(name -> name.startsWith(MOMENTUM))) {
            // Only lenet writes momentum arrays, always with meta.json: this one lost its own.
            throw new LenetException(file + ": holds lenet's momentum arrays but no meta.json (the file was edited or damaged); " + EARLIER);
        }
        checkArchitecture(file, meta);
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
            checkFinite(file, name, a);
            weights.put(name, a);
            NdArray v = arrays.get(MOMENTUM + name);
            if (v != null) {
                checkShape(file, MOMENTUM + name, v.shape(), expected.getValue());
                checkFinite(file, MOMENTUM + name, v);
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

    /** Format 2 checks arrays and meta.json, format 1 the arrays; lenet has written a checksum into every file it made. */
    private static void verifyChecksum(Path file, Map<String, NdArray> arrays, ObjectNode meta) {
        boolean covers = meta.path("format_version").asInt() >= 2;
        String field = covers ? CHECKSUM : ARRAYS_CHECKSUM;
        JsonNode saved = meta.get(field);
        if (saved == null || !saved.isTextual()) {
            throw new LenetException(file + ": meta.json has no " + field + ", which lenet writes into every checkpoint"
                    + " (the file was edited or damaged); " + EARLIER);
        }
        ObjectNode rest = meta.deepCopy();
        rest.remove(field);
        String actual = covers ? checksum(arrays, rest) : checksum(arrays, null);
        if (!actual.equals(saved.asText())) {
            throw new LenetException(file + ": the " + (covers ? "arrays and meta.json" : "arrays") + " do not match the checksum in meta.json"
                    + " (the file was edited or damaged); " + EARLIER);
        }
    }

    /** The fields of meta.json that change what the arrays mean must hold values this lenet knows. */
    private static void checkArchitecture(Path file, ObjectNode meta) {
        if (meta == null) return;
        JsonNode arch = meta.get("architecture");
        if (arch != null && !arch.isObject()) throw new LenetException(file + ": meta.json's architecture is not an object; " + EARLIER);
        known(file, meta, "activation", LeNet.Activation.values(), LeNet.Activation::cliName, LeNet.Activation.SIGMOID);
        known(file, meta, "pooling", LeNet.Pooling.values(), LeNet.Pooling::cliName, LeNet.Pooling.AVG);
        knownText(file, meta.path("architecture").get("name"), "architecture.name", "LeNet-5");
        knownText(file, meta.path("architecture").get("norm"), "architecture.norm", "none");
        knownText(file, meta.get("input_normalization"), "input_normalization", INPUT_NORMALIZATION);
    }

    private static void knownText(Path file, JsonNode value, String field, String known) {
        if (value == null || value.isNull() || (value.isTextual() && value.asText().equals(known))) return;
        throw new LenetException(file + ": meta.json's " + field + " is " + value + ", which this lenet does not know ("
                + known + "); was it written by a newer lenet?");
    }

    /** NaN or an infinity in a weight would turn every answer into NaN. */
    private static void checkFinite(Path file, String name, NdArray a) {
        float[] data = a.data();
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                throw new LenetException(file + ": array '" + name + "' holds " + data[i] + " at index " + i + " of " + data.length
                        + "; a model with non-finite weights gives no answers (did its training diverge?), " + EARLIER);
            }
        }
    }

    private static void checkShape(Path file, String name, long[] actual, long[] expected) {
        if (!Arrays.equals(actual, expected)) {
            throw new LenetException(file + ": array '" + name + "' has shape " + Arrays.toString(actual)
                    + ", LeNet needs " + Arrays.toString(expected) + "; was it saved from another network?");
        }
    }

    /**
     * SHA-256 over each array's name and its .npy bytes, in file order, then (format 2) "meta.json"
     * and meta.json in a canonical form: keys sorted at every level, no spaces, so the sum does not
     * depend on how the JSON is laid out.
     */
    static String checksum(Map<String, NdArray> arrays, JsonNode meta) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, NdArray> e : arrays.entrySet()) {
                sha.update(e.getKey().getBytes(StandardCharsets.UTF_8));
                sha.update(Npy.write(e.getValue()));
            }
            if (meta != null) {
                sha.update(META.getBytes(StandardCharsets.UTF_8));
                StringBuilder canonical = new StringBuilder();
                canonical(meta, canonical);
                sha.update(canonical.toString().getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    private static void canonical(JsonNode n, StringBuilder out) {
        if (n.isObject()) {
            java.util.List<String> names = new java.util.ArrayList<>();
            n.fieldNames().forEachRemaining(names::add);
            java.util.Collections.sort(names);
            out.append('{');
            for (int i = 0; i < names.size(); i++) {
                out.append(i == 0 ? "" : ",").append(com.fasterxml.jackson.databind.node.TextNode.valueOf(names.get(i))).append(':');
                canonical(n.get(names.get(i)), out);
            }
            out.append('}');
        } else if (n.isArray()) {
            out.append('[');
            for (int i = 0; i < n.size(); i++) {
                if (i > 0) out.append(',');
                canonical(n.get(i), out);
            }
            out.append(']');
        } else {
            out.append(n); // a value's JSON text
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
