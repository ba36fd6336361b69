package lenet.serve;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import javax.imageio.ImageIO;
import lenet.LenetException;
import lenet.data.Dataset;
import lenet.app.Scoring;
import lenet.model.Outputs;
import lenet.train.Evaluation;

/**
 * {@code GET /api/mistakes}: the test images the model gets wrong, most confident first, and
 * {@code GET /api/test-image?index=N}: one test image as a PNG (what the page sends to
 * {@code /api/predict} when a mistake is clicked). The whole test set is scored once per model,
 * as {@code lenet eval} scores it ({@link Scoring#score}, on the engine chosen for that many images),
 * and kept.
 */
final class Mistakes {
    /** The most mistakes one answer lists. */
    static final int MAX_LIMIT = 200;

    /** One wrong answer. */
    record Mistake(int index, int label, int predicted, float confidence, float labelProbability) {}

    /** A model's score on the test set: how many it got right and every mistake, most confident first. */
    record Scored(String dataset, int count, int correct, List<Mistake> mistakes, double seconds) {}

    private final Function<String, Path> dataDir;
    private final Map<String, CompletableFuture<Dataset>> tests = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Scored>> scores = new ConcurrentHashMap<>();

    Mistakes(Function<String, Path> dataDir) {
        this.dataDir = dataDir;
    }

    void list(Exchange ex, ServedModel m) throws IOException {
        int limit = intParam(ex.query().get("limit"), 24, 1, MAX_LIMIT, "limit");
        Scored s = scored(m);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("model", m.file().toString());
        answer.put("dataset", s.dataset());
        answer.put("count", s.count());
        answer.put("correct", s.correct());
        answer.put("wrong", s.mistakes().size());
        answer.put("seconds", Math.round(s.seconds() * 100) / 100.0);
        answer.put("mistakes", s.mistakes().subList(0, Math.min(limit, s.mistakes().size())));
        ex.sendJson(200, answer);
    }

    void image(Exchange ex, ServedModel m) throws IOException {
        Dataset test = test(m.dataset());
        int index = intParam(ex.query().get("index"), -1, 0, test.count() - 1, "index");
        int side = test.rows(), px = test.pixelsPerImage();
        BufferedImage image = new BufferedImage(test.cols(), side, BufferedImage.TYPE_BYTE_GRAY);
        byte[] pixels = new byte[px];
        System.arraycopy(test.pixels(), index * px, pixels, 0, px);
        image.getRaster().setDataElements(0, 0, test.cols(), side, pixels);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        ex.send(200, "image/png", png.toByteArray(), "max-age=3600");
    }

    private Scored scored(ServedModel m) {
        String key = m.file().toAbsolutePath() + "@" + System.identityHashCode(m);
        if (scores.size() > 8) scores.clear(); // a few models chosen in turn; older scores are made again if needed
        return join(scores, key, k -> CompletableFuture.supplyAsync(() -> score(m)));
    }

    /** The test set scored as {@code lenet eval} scores it ({@link Scoring#score}), every wrong answer kept. */
    private Scored score(ServedModel m) {
        long start = System.nanoTime();
        Dataset test = test(m.dataset());
        List<Mistake> wrong = new ArrayList<>();
        Evaluation e = Scoring.score(m.loaded(), test, m.classes(), null, (first, labels, probabilities) -> {
            for (int i = 0; i < labels.length; i++) {
                float[] p = probabilities[i];
                int y = Outputs.argMax(p), label = labels[i];
                if (y != label) wrong.add(new Mistake(first + i, label, y, p[y], p[label]));
            }
        });
        wrong.sort(Comparator.comparingDouble((Mistake w) -> -w.confidence()).thenComparingInt(Mistake::index));
        return new Scored(m.dataset(), e.count(), e.correct(), List.copyOf(wrong), (System.nanoTime() - start) / 1e9);
    }

    private Dataset test(String dataset) {
        return join(tests, dataset, d -> CompletableFuture.supplyAsync(() -> Dataset.loadSplit(dataDir.apply(d), "test")));
    }

    /** The value {@code cache} holds or starts for {@code key}, shared by concurrent requests; a failure is not kept (the data may be fetched later). */
    private static <T> T join(Map<String, CompletableFuture<T>> cache, String key, Function<String, CompletableFuture<T>> start) {
        CompletableFuture<T> f = cache.computeIfAbsent(key, start);
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpError(503, "the server is stopping");
        } catch (ExecutionException e) {
            cache.remove(key, f);
            if (e.getCause() instanceof HttpError he) throw he;
            if (e.getCause() instanceof LenetException le) throw new HttpError(404, le.getMessage());
            throw new IllegalStateException("scoring the test set failed", e.getCause());
        }
    }

    static int intParam(String v, int fallback, int min, int max, String name) {
        if (v == null) {
            if (fallback < min) throw HttpError.badRequest("give " + name + "=N, from " + min + " to " + max);
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n < min || n > max) throw HttpError.badRequest(name + " must be from " + min + " to " + max + ", was " + n);
            return n;
        } catch (NumberFormatException e) {
            throw HttpError.badRequest(name + " must be a whole number, was '" + v + "'");
        }
    }
}
