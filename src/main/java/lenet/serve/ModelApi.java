package lenet.serve;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import lenet.LenetException;
import lenet.engine.reference.Explanation;
import lenet.model.ModelSpec;
import lenet.model.Pixels;
import lenet.train.Reading;

/**
 * The model the page uses and what it answers: {@code GET/POST /api/model} (which model; choose a
 * run's checkpoint), {@code POST /api/predict} (an image in, the digit, the probabilities, what the
 * network saw and, with {@code ?trace=1}, every stage) and {@code POST /api/explain} (the arithmetic
 * of one cell).
 */
final class ModelApi {
    private final AtomicReference<ServedModel> current = new AtomicReference<>();
    private final DigitReader reader;
    private final RunsView runs;
    private final Path runsRoot;
    private volatile String problem;

    private final java.util.function.Function<String, Path> dataDir;

    ModelApi(DigitReader reader, RunsView runs, Path runsRoot, java.util.function.Function<String, Path> dataDir) {
        this.dataDir = dataDir;
        this.reader = reader;
        this.runs = runs;
        this.runsRoot = runsRoot;
    }

    /** Makes {@code model} the one the page uses. */
    void use(ServedModel model) {
        current.set(model);
        problem = null;
    }

    /** No model yet: {@code why} says so on the page and in every answer that needs one. */
    void none(String why) {
        problem = why;
    }

    ServedModel model() {
        ServedModel m = current.get();
        if (m == null) throw new HttpError(503, problem == null ? "no model loaded; choose a run's checkpoint in the runs panel" : problem);
        return m;
    }

    ServedModel currentOrNull() {
        return current.get();
    }

    // ---------------------------------------------------------------------------------------------
    // GET and POST /api/model

    void getModel(Exchange ex) throws IOException {
        ex.sendJson(200, info(current.get()));
    }

    /** What the page is told about a model (or its absence). */
    Map<String, Object> info(ServedModel m) {
        Map<String, Object> info = new LinkedHashMap<>();
        if (m == null) {
            info.put("file", null);
            info.put("problem", problem == null ? "no model loaded" : problem);
            return info;
        }
        ModelSpec spec = m.spec();
        info.put("file", m.file().toString());
        info.put("run", runs.runOf(m.file()));
        info.put("title", spec.title());
        info.put("dataset", m.dataset());
        info.put("noun", m.classes().noun());
        info.put("classes", m.classes().names());
        info.put("describe", m.loaded().describe());
        double acc = m.loaded().testAccuracy();
        info.put("test_accuracy", Double.isNaN(acc) ? null : acc);
        info.put("status", m.loaded().contents().status() == null ? null : m.loaded().contents().status().jsonName());
        info.put("epoch", m.loaded().contents().meta() == null ? null : m.loaded().contents().meta().path("epoch").asInt());
        info.put("input_shape", spec.inputShape());
        info.put("stages", Stages.of(spec));
        return info;
    }

    record Choose(String run, String checkpoint) {}

    void chooseModel(Exchange ex) throws IOException {
        Choose c = ex.jsonBody(Choose.class);
        if (c.run() == null || c.checkpoint() == null) throw HttpError.badRequest("name a run and one of its checkpoints: {\"run\": ..., \"checkpoint\": \"last.npz\"}");
        Path file = runs.checkpoint(c.run(), c.checkpoint());
        ServedModel m;
        try {
            m = ServedModel.load(file, runsRoot, dataDir);
        } catch (LenetException | IllegalArgumentException e) {
            throw HttpError.badRequest(e.getMessage());
        }
        use(m);
        ex.sendJson(200, info(m));
    }

    // ---------------------------------------------------------------------------------------------
    // POST /api/predict

    void predict(Exchange ex) throws IOException {
        String type = ex.contentType();
        if (!type.startsWith("image/")) {
            throw new HttpError(415, "send an image file as the request body with Content-Type image/png, image/jpeg, image/gif, image/bmp, image/tiff or image/webp, not "
                    + (type.isEmpty() ? "no type" : type));
        }
        byte[] body = ex.body(Limits.IMAGE_BODY, "the image");
        if (body.length == 0) throw HttpError.badRequest("the request has no image in its body");
        if (!readable(body)) throw new HttpError(415, "the body is not an image format lenet reads; send a PNG, JPEG, GIF, BMP, TIFF or WebP file");
        ServedModel m = model();
        Reading r;
        try {
            r = reader.read(m, body);
        } catch (LenetException e) {
            // predict's own words; its pixel limit ("... more than the 40-megapixel limit") is a too-large image
            throw new HttpError(e.getMessage().contains("megapixel limit") ? 413 : 400, e.getMessage());
        }
        // The page shows one digit's way through the network: the first (leftmost) when predict finds several.
        Reading.DigitAnswer first = r.digits().get(0);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("digit", first.digit());
        answer.put("class", m.classes().name(first.digit()));
        answer.put("probabilities", first.probabilities());
        answer.put("seen", unsigned(first.found().pixels()));
        answer.put("digits", r.digits().stream().map(d -> m.classes().name(d.digit())).toList());
        answer.put("unsure", r.unsure());
        if (!Double.isNaN(first.distance())) {
            Map<String, Object> familiarity = new LinkedHashMap<>();
            familiarity.put("distance", first.distance());
            familiarity.put("limit", first.limit());
            answer.put("familiarity", familiarity);
        }
        answer.put("as_is", r.page().asIs());
        answer.put("inverted", r.page().inverted());
        answer.put("model", m.file().toString());
        if (isTrue(ex.query().get("trace"))) answer.put("stages", Stages.of(m.spec(), m.network().trace(input(m, first.found().pixels()))));
        answer.put("server_ms", Math.round(ex.elapsedMillis() * 10) / 10.0);
        ex.sendJson(200, answer);
    }

    /** True when one of ImageIO's readers recognises the bytes (predict's first check too); nothing is decoded. */
    static boolean readable(byte[] body) {
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(body))) {
            return ImageIO.getImageReaders(in).hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isTrue(String v) {
        return v != null && (v.equals("1") || v.equalsIgnoreCase("true") || v.isEmpty());
    }

    private static int[] unsigned(byte[] pixels) {
        int[] out = new int[pixels.length];
        for (int i = 0; i < pixels.length; i++) out[i] = pixels[i] & 0xFF;
        return out;
    }

    /** The network's input for 28x28 bytes: byte / 255 in float, as training and predict give it. */
    static float[] input(ServedModel m, byte[] pixels) {
        float[] x = new float[m.spec().inputSize()];
        if (pixels.length != x.length) throw HttpError.badRequest("the image has " + pixels.length + " pixels; the model takes " + x.length);
        Pixels.scale(pixels, 0, x, 0, x.length);
        return x;
    }

    // ---------------------------------------------------------------------------------------------
    // POST /api/explain

    /**
     * @param pixels the 28x28 the network saw, 0-255, row-major (what /api/predict answered as {@code seen})
     * @param stage  a conv, pooling or dense layer's name
     * @param index  (channel, row, column) of a map, or (unit) of a vector
     */
    record ExplainRequest(int[] pixels, String stage, int[] index) {}

    void explain(Exchange ex) throws IOException {
        ExplainRequest q = ex.jsonBody(ExplainRequest.class);
        if (q.pixels() == null || q.stage() == null || q.index() == null) throw HttpError.badRequest("send pixels, stage and index");
        ServedModel m = model();
        byte[] bytes = new byte[q.pixels().length];
        for (int i = 0; i < bytes.length; i++) {
            int v = q.pixels()[i];
            if (v < 0 || v > 255) throw HttpError.badRequest("pixel " + i + " is " + v + "; pixels are 0-255");
            bytes[i] = (byte) v;
        }
        Explanation e;
        try {
            e = m.network().explain(input(m, bytes), q.stage(), q.index());
        } catch (IllegalArgumentException bad) {
            throw HttpError.badRequest(bad.getMessage());
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("explanation", Exchange.tree(e));
        // What the maps show: the trace holds float32, and (float) of these doubles is exactly it.
        answer.put("value_as_traced", (float) e.value());
        answer.put("final_value", e.finalValue());
        answer.put("final_as_traced", (float) e.finalValue());
        answer.put("server_ms", Math.round(ex.elapsedMillis() * 10) / 10.0);
        ex.sendJson(200, answer);
    }

    List<Stages.Stage> stages() {
        return Stages.of(model().spec());
    }
}
