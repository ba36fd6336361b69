package lenet.serve;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import lenet.LenetException;
import lenet.train.RunFolder;
import lenet.train.Runs;
import lenet.io.Json;

/**
 * The training runs under one folder, read and never written: the list ({@link Runs#list}, plus
 * folders of runs still in their first epoch), each run's metrics, settings and progress, and its
 * checkpoints. A run or checkpoint is only ever found by its name in a listing of the folder, never
 * by resolving a path the client sent, so no request reaches a file outside it.
 */
final class RunsView {
    /** A run still writing progress.json within this long counts as training now. */
    static final long LIVE_MILLIS = 60_000;
    private static final Pattern CHECKPOINT = Pattern.compile("last\\.npz|epoch-\\d+\\.npz");
    /** The files whose changes the live view follows. */
    private static final List<String> WATCHED = List.of(RunFolder.LAST, RunFolder.METRICS, RunFolder.METRICS_JSONL, RunFolder.CONFIG, RunFolder.PROGRESS);

    private final Path root;

    RunsView(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /** Every run, newest first, as the runs table shows them. */
    List<Map<String, Object>> list(Path modelInUse) {
        List<Map<String, Object>> rows = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (Runs.Run r : Runs.list(root)) {
            seen.add(r.name());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.name());
            m.put("dataset", r.dataset());
            m.put("network", r.network());
            m.put("recipe", r.recipe());
            m.put("epochs_done", r.epochsDone());
            m.put("epochs_planned", r.epochsPlanned());
            m.put("best_test_accuracy", nanToNull(r.bestTestAccuracy()));
            m.put("last_test_accuracy", nanToNull(r.lastTestAccuracy()));
            m.put("status", r.status() == null ? "unreadable" : r.status().jsonName());
            m.put("problem", r.problem());
            m.put("checkpoints", checkpoints(r.dir()));
            m.put("progress", progress(r.dir(), r.epochsDone()).orElse(null));
            m.put("in_use", modelInUse != null && sameFile(modelInUse.getParent(), r.dir()));
            rows.add(m);
        }
        // Runs in their first epoch have a config.json (and soon progress.json) but no checkpoint yet.
        for (Path dir : dirs()) {
            String name = dir.getFileName().toString();
            if (seen.contains(name) || !Files.isRegularFile(dir.resolve(RunFolder.CONFIG))) continue;
            JsonNode config = readJson(dir.resolve(RunFolder.CONFIG));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("dataset", config == null ? null : config.path("dataset").asText(null));
            m.put("network", config == null ? null : config.path("activation").asText("?") + "/" + config.path("pooling").asText("?"));
            m.put("recipe", config == null ? null : config.path("recipe").asText(null));
            m.put("epochs_done", 0);
            m.put("epochs_planned", config == null ? 0 : config.path("epochs").asInt(0));
            m.put("best_test_accuracy", null);
            m.put("last_test_accuracy", null);
            Optional<Map<String, Object>> progress = progress(dir, 0);
            m.put("status", progress.isPresent() ? "training" : "no checkpoint");
            m.put("problem", null);
            m.put("checkpoints", List.of());
            m.put("progress", progress.orElse(null));
            m.put("in_use", false);
            rows.add(0, m);
        }
        return rows;
    }

    /** One run's settings (config.json), metrics (one row per epoch) and progress within the epoch under way. */
    Map<String, Object> detail(String name) {
        Path dir = dir(name);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("config", readJson(dir.resolve(RunFolder.CONFIG)));
        List<Map<String, Object>> metrics = metrics(dir);
        m.put("metrics", metrics);
        m.put("progress", progress(dir, metrics.size()).orElse(null));
        return m;
    }

    /** The checkpoint {@code checkpoint} ({@code last.npz}, {@code epoch-03.npz}) of run {@code run}, found by listing. */
    Path checkpoint(String run, String checkpoint) {
        Path dir = dir(run);
        if (!checkpoints(dir).contains(checkpoint)) throw HttpError.notFound("run " + run + " has no checkpoint " + checkpoint);
        return dir.resolve(checkpoint);
    }

    /** The run folder named {@code name}: one of the folders a listing of the root returns. */
    Path dir(String name) {
        for (Path d : dirs()) if (d.getFileName().toString().equals(name)) return d;
        throw HttpError.notFound("no run named '" + name + "' under " + root);
    }

    /** The name of the run whose folder holds {@code file}, or null when it is not one of the runs here. */
    String runOf(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        for (Path d : dirs()) if (sameFile(d, parent)) return d.getFileName().toString();
        return null;
    }

    /**
     * What the live view compares from second to second: each run folder's name with the size and
     * modification time of the files it follows. Cheap: a listing and a few stat calls.
     */
    Map<String, String> fingerprint() {
        Map<String, String> f = new TreeMap<>();
        for (Path d : dirs()) {
            StringBuilder s = new StringBuilder();
            for (String file : WATCHED) {
                try {
                    BasicFileAttributes a = Files.readAttributes(d.resolve(file), BasicFileAttributes.class);
                    s.append(file).append(':').append(a.size()).append('@').append(a.lastModifiedTime().toMillis()).append(' ');
                } catch (IOException absent) {
                    s.append(file).append(":- ");
                }
            }
            f.put(d.getFileName().toString(), s.toString());
        }
        return f;
    }

    private List<Path> dirs() {
        if (!Files.isDirectory(root)) return List.of();
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> Files.isDirectory(p) && !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new LenetException(root + ": cannot list the run folders (" + e.getMessage() + ")");
        }
    }

    private static List<String> checkpoints(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> CHECKPOINT.matcher(n).matches()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** metrics.jsonl's rows, or metrics.csv's when there is no jsonl; empty when neither can be read. */
    static List<Map<String, Object>> metrics(Path dir) {
        List<Map<String, Object>> rows = new ArrayList<>();
        try {
            Path jsonl = dir.resolve(RunFolder.METRICS_JSONL);
            if (Files.isRegularFile(jsonl)) {
                for (String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
                    if (line.isBlank()) continue;
                    try {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> row = Json.MAPPER.readValue(line, Map.class);
                        rows.add(row);
                    } catch (IOException damaged) {
                        // a damaged line counts for nothing
                    }
                }
                return rows;
            }
            Path csv = dir.resolve(RunFolder.METRICS);
            if (!Files.isRegularFile(csv)) return rows;
            List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
            if (lines.isEmpty()) return rows;
            String[] header = lines.get(0).split(",");
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",");
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 0; i < header.length && i < cells.length; i++) {
                    try {
                        double v = Double.parseDouble(cells[i]);
                        row.put(header[i], Double.isFinite(v) ? v : null);
                    } catch (NumberFormatException e) {
                        row.put(header[i], null);
                    }
                }
                rows.add(row);
            }
        } catch (IOException e) {
            // a run being rewritten right now: the next look will see it whole
        }
        return rows;
    }

    /**
     * progress.json of the epoch under way, with its age, when the epoch is not one already done
     * and the file was written in the last {@link #LIVE_MILLIS}; otherwise empty.
     */
    static Optional<Map<String, Object>> progress(Path dir, int epochsDone) {
        Path file = dir.resolve(RunFolder.PROGRESS);
        try {
            long age = System.currentTimeMillis() - Files.getLastModifiedTime(file).toMillis();
            JsonNode p = readJson(file);
            if (p == null || age > LIVE_MILLIS || p.path("epoch").asInt() <= epochsDone) return Optional.empty();
            @SuppressWarnings("unchecked")
            Map<String, Object> m = Json.MAPPER.convertValue(p, LinkedHashMap.class);
            m.put("age_ms", Math.max(0, age));
            return Optional.of(m);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static JsonNode readJson(Path file) {
        try {
            if (!Files.isRegularFile(file)) return null;
            return Json.MAPPER.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return a != null && b != null && Files.exists(a, LinkOption.NOFOLLOW_LINKS) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    private static Double nanToNull(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
