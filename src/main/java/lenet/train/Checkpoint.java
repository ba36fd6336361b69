package lenet.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.JsonProcessingException;
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
import lenet.engine.Sgd;
import lenet.io.Json;
import lenet.model.Activation;
import lenet.model.Architecture;
import lenet.model.LeNet;
import lenet.model.ModelSpec;
import lenet.model.ModelState;
import lenet.model.Norm;
import lenet.model.Pixels;
import lenet.model.Pooling;

/**
 * A saved model: an {@code .npz} file (a zip of NumPy {@code .npy} arrays, float32) that
 * {@code numpy.load} reads, holding the model's parameters and buffers under PyTorch's names and
 * layouts (the spec's: {@link ModelSpec#parameters()}, {@link ModelSpec#buffers()}):
 *
 * <pre>
 *   &lt;name&gt;             each parameter and buffer of the spec (conv1.weight [6,1,5,5], ..., bn1.running_var, ...)
 *   momentum.&lt;name&gt;    SGD velocity of each parameter (optional)
 *   meta.json           format, architecture, preprocessing, status, epoch, seed, settings, metrics,
 *                       and a SHA-256 over the arrays and meta.json (optional: numpy.savez files have none)
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
 * lenet knows; a model is then made of the arrays only when every one the spec names is there with
 * its exact shape and finite values ({@link Contents#state}).
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

    private Checkpoint() {}

    /**
     * What a checkpoint file holds: the model's arrays, optimizer state keyed as saved
     * ({@code momentum.<name>}, maybe none) and meta.json (null for a plain numpy.savez file). The
     * arrays stay plain {@link NdArray}s: loading a checkpoint starts no engine.
     */
    public record Contents(Path file, Map<String, NdArray> arrays, Map<String, NdArray> optimizerState, ObjectNode meta) {
        /**
         * The network these arrays belong to: meta.json's architecture, with {@code activation} and
         * {@code pooling} (when not null) taking the place of its choices; a file without meta.json
         * (a PyTorch state_dict) is d2l's LeNet with those choices (sigmoid, average pooling by
         * default), with batch norm when it holds batch-norm arrays.
         */
        public Architecture architecture(Activation activation, Pooling pooling) {
            Activation a = activation != null ? activation : known(file, meta, "activation", Activation.values(), Activation::cliName, Activation.SIGMOID);
            Pooling p = pooling != null ? pooling : known(file, meta, "pooling", Pooling.values(), Pooling::cliName, Pooling.AVG);
            Norm n = meta != null ? known(file, meta, "norm", Norm.values(), Norm::cliName, Norm.NONE)
                    : Architecture.lenet(a, p, Norm.BATCH).spec().buffers().stream().anyMatch(t -> arrays.containsKey(t.name())) ? Norm.BATCH : Norm.NONE;
            return Architecture.lenet(a, p, n);
        }

        /** meta.json's architecture (or the default for a file without one). */
        public Architecture architecture() {
            return architecture(null, null);
        }

        /**
         * The numbers of {@code spec}'s model: every parameter and buffer it names, with its shape and
         * finite values, or one line naming this file and the array that is missing or wrong.
         */
        public ModelState state(ModelSpec spec) {
            try {
                return ModelState.of(spec, arrays);
            } catch (IllegalArgumentException e) {
                throw new LenetException(file + ": " + e.getMessage(), e);
            }
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

        /** meta.json as its record, to continue the run; one line when the file has none or it does not describe a run. */
        public CheckpointMeta runMeta() {
            if (meta == null || !meta.path("config").isObject()) {
                throw new LenetException(file + ": has no training state (meta.json with config) to resume; use {init} to start a new run from its weights");
            }
            try {
                CheckpointMeta m = Json.MAPPER.treeToValue(meta, CheckpointMeta.class);
                m.config().checked();
                return m;
            } catch (JsonProcessingException | RuntimeException e) {
                String why = e instanceof lenet.SettingException s ? " (" + s.getMessage() + ")" : "";
                throw new LenetException(file + ": meta.json's config is incomplete or invalid" + why + "; the checkpoint cannot be resumed");
            }
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

    /**
     * Writes a model's {@code state}, the optimizer's state (keys as saved: {@code momentum.<name>})
     * and {@code meta} (completed with format and checksum), atomically.
     */
    public static void save(Path file, ModelState state, Map<String, NdArray> optimizerState, CheckpointMeta meta) throws IOException {
        save(file, state.all(), optimizerState, (ObjectNode) Json.MAPPER.valueToTree(meta));
    }

    /** The same with meta.json as a tree (for rewriting a file's status, and for tests of hand-made files). */
    public static void save(Path file, Map<String, NdArray> arrays, Map<String, NdArray> optimizerState, ObjectNode meta) throws IOException {
        Map<String, NdArray> all = new LinkedHashMap<>(arrays);
        optimizerState.forEach((name, v) -> all.put(name.startsWith(Sgd.STATE_PREFIX) ? name : Sgd.STATE_PREFIX + name, v));
        ObjectNode full = Json.MAPPER.createObjectNode();
        full.put("format", FORMAT);
        full.put("format_version", FORMAT_VERSION);
        full.setAll(meta);
        full.remove(CHECKSUM);
        full.remove(ARRAYS_CHECKSUM);
        // The checksum is taken over meta.json as it will be read back, so reader and writer agree.
        byte[] bytes = Json.pretty(full);
        full.put(CHECKSUM, checksum(all, Json.MAPPER.readTree(bytes)));
        Npz.write(file, all, Map.of(META, Json.pretty(full)));
    }

    /** Writes {@code file} again with the same arrays and its meta.json's {@code status} set to {@code status}. */
    static void rewriteStatus(Path file, RunStatus status) throws IOException {
        Contents c = load(file);
        ObjectNode meta = c.meta() == null ? Json.MAPPER.createObjectNode() : c.meta().deepCopy();
        meta.put("status", status.jsonName());
        save(file, c.arrays(), c.optimizerState(), meta);
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
     * Reads and checks a checkpoint: a known format version, the checksum (required in lenet's own
     * files), a known architecture, and finite values in every array. Whether the arrays make a
     * model is checked against its spec by {@link Contents#state}.
     */
    public static Contents load(Path file) {
        Npz.Contents npz = Npz.read(file);
        ObjectNode meta = null;
        byte[] metaBytes = npz.otherMembers().get(META);
        if (metaBytes != null) meta = parseMeta(file, metaBytes);
        Map<String, NdArray> arrays = npz.arrays();
        if (meta != null) verifyChecksum(file, arrays, meta);
        else if (arrays.keySet().stream().anyMatch(name -> name.startsWith(Sgd.STATE_PREFIX))) {
            // Only lenet writes momentum arrays, always with meta.json: this one lost its own.
            throw new LenetException(file + ": holds lenet's momentum arrays but no meta.json (the file was edited or damaged); " + EARLIER);
        }
        checkArchitecture(file, meta);
        Map<String, NdArray> model = new LinkedHashMap<>();
        Map<String, NdArray> optimizer = new LinkedHashMap<>();
        for (Map.Entry<String, NdArray> e : arrays.entrySet()) {
            checkFinite(file, e.getKey(), e.getValue());
            (e.getKey().startsWith(Sgd.STATE_PREFIX) ? optimizer : model).put(e.getKey(), e.getValue());
        }
        return new Contents(file, model, optimizer, meta);
    }

    private static ObjectNode parseMeta(Path file, byte[] bytes) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(bytes);
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
        known(file, meta, "activation", Activation.values(), Activation::cliName, Activation.SIGMOID);
        known(file, meta, "pooling", Pooling.values(), Pooling::cliName, Pooling.AVG);
        known(file, meta, "norm", Norm.values(), Norm::cliName, Norm.NONE);
        knownText(file, meta.path("architecture").get("name"), "architecture.name", LeNet.NAME);
        knownText(file, meta.get("input_normalization"), "input_normalization", Pixels.NORMALIZATION);
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

}
