package lenet.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import lenet.LenetException;

/**
 * The training runs under a folder (by default {@code runs/}): what each one is and how it ended,
 * read from its {@code last.npz}'s meta.json and its {@code metrics.csv}, and which one a command
 * given no model should use.
 */
public final class Runs {
    private Runs() {}

    /**
     * One run folder.
     *
     * @param name             the folder's name
     * @param network          e.g. {@code sigmoid/avg}; null when unknown
     * @param epochsDone       whole epochs in its newest checkpoint
     * @param epochsPlanned    the run's {@code --epochs}; 0 when unknown
     * @param bestTestAccuracy the highest test accuracy after any epoch (metrics.csv); NaN when none
     * @param lastTestAccuracy the test accuracy of the newest checkpoint; NaN when none
     * @param status           how it ended; null when its checkpoint cannot be read
     * @param bytes            the size of everything in the folder
     * @param checkpoint       its {@code last.npz}
     * @param problem          why the checkpoint could not be read, else null
     */
    public record Run(Path dir, String name, String dataset, String network, String recipe, int epochsDone, int epochsPlanned,
                      double bestTestAccuracy, double lastTestAccuracy, RunStatus status, long bytes, Path checkpoint,
                      long modifiedMillis, String problem) {}

    /** Every folder directly under {@code root} that holds a {@code last.npz}, newest checkpoint first. */
    public static List<Run> list(Path root) {
        if (!Files.isDirectory(root)) return List.of();
        List<Run> runs = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : (Iterable<Path>) dirs.sorted()::iterator) {
                Path last = dir.resolve(RunFolder.LAST);
                if (Files.isRegularFile(last)) runs.add(read(dir, last));
            }
        } catch (IOException e) {
            throw new LenetException(root + ": cannot list the run folders (" + e.getMessage() + ")");
        }
        runs.sort(Comparator.comparingLong(Run::modifiedMillis).reversed().thenComparing(Run::name));
        return runs;
    }

    private static Run read(Path dir, Path last) {
        long modified = modified(last);
        long bytes = size(dir);
        double best = bestTestAccuracy(dir.resolve(RunFolder.METRICS));
        ObjectNode meta;
        try {
            meta = Checkpoint.readMeta(last);
        } catch (LenetException e) {
            return new Run(dir, dir.getFileName().toString(), null, null, null, 0, 0, best, Double.NaN, null, bytes, last, modified, e.getMessage());
        }
        if (meta == null) {
            return new Run(dir, dir.getFileName().toString(), null, null, null, 0, 0, best, Double.NaN, null, bytes, last, modified,
                    "no meta.json (weights only)");
        }
        JsonNode config = meta.path("config");
        String network = meta.path("architecture").path("activation").asText("?") + "/" + meta.path("architecture").path("pooling").asText("?");
        int done = meta.path("epoch").asInt(0);
        int planned = config.path("epochs").asInt(0);
        double lastAccuracy = meta.path("metrics").path("test_accuracy").asDouble(Double.NaN);
        return new Run(dir, dir.getFileName().toString(), meta.path("dataset").asText(null), network, config.path("recipe").asText(null),
                done, planned, best, lastAccuracy, statusOf(meta, done, planned, lastAccuracy), bytes, last, modified, null);
    }

    /** The status in meta.json; for checkpoints written before lenet saved one, worked out from its numbers. */
    static RunStatus statusOf(JsonNode meta, int done, int planned, double testAccuracy) {
        RunStatus saved = RunStatus.fromJson(meta.path("status").asText(null));
        if (saved != null) return saved;
        if (meta.has("epoch_progress") || (planned > 0 && done < planned)) return RunStatus.INTERRUPTED;
        if (!Double.isNaN(testAccuracy) && testAccuracy < Health.CHANCE_FACTOR / lenet.model.LeNet.CLASSES) return RunStatus.AT_CHANCE;
        return RunStatus.FINISHED;
    }

    /**
     * What a command given no model uses: the newest run whose status is {@code finished}, and the
     * newer runs passed over on the way to it (diverged, at chance, interrupted, still training or
     * unreadable). Empty when there is no finished run.
     */
    public record Choice(Run run, List<Run> passedOver) {
        public Path model() {
            return run.checkpoint();
        }
    }

    public static Optional<Choice> newestUsable(Path root) {
        List<Run> passed = new ArrayList<>();
        for (Run r : list(root)) {
            if (r.status() != null && r.status().usable()) return Optional.of(new Choice(r, List.copyOf(passed)));
            passed.add(r);
        }
        return Optional.empty();
    }

    /** The largest test_accuracy in a metrics.csv, NaN when there is none. */
    private static double bestTestAccuracy(Path csv) {
        if (!Files.isRegularFile(csv)) return Double.NaN;
        try {
            List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
            if (lines.isEmpty()) return Double.NaN;
            int column = List.of(lines.get(0).split(",")).indexOf("test_accuracy");
            double best = Double.NaN;
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",");
                if (column < 0 || column >= cells.length) continue;
                try {
                    double v = Double.parseDouble(cells[column]);
                    if (Double.isNaN(best) || v > best) best = v;
                } catch (NumberFormatException ignored) {
                    // a damaged row counts for nothing
                }
            }
            return best;
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    private static long size(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(Runs::sizeOf).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
