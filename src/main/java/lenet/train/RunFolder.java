package lenet.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import lenet.LenetException;
import lenet.io.AtomicFiles;

/**
 * The folder of one training run: {@code last.npz} (the newest checkpoint), {@code epoch-NN.npz}
 * (one per epoch) and {@code metrics.csv} (one row per epoch). A new run never writes into a folder
 * that already holds one; a resumed run continues in its own folder.
 */
public final class RunFolder {
    public static final String LAST = "last.npz";
    public static final String METRICS = "metrics.csv";
    public static final String METRICS_JSONL = "metrics.jsonl";
    public static final String CONFIG = "config.json";
    /** Where the epoch under way is, rewritten at most once a second while training (for {@code lenet serve}'s live view). */
    public static final String PROGRESS = "progress.json";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path dir;
    private final List<String> metricRows = new ArrayList<>();
    private final List<String> jsonRows = new ArrayList<>();
    private long progressWritten = System.nanoTime() - 1_000_000_000L;

    private RunFolder(Path dir) {
        this.dir = dir;
    }

    /**
     * A folder for a new run: {@code out} when given (it must not hold a run already), otherwise a
     * new time-stamped folder under {@code runsRoot}.
     */
    public static RunFolder createNew(Path out, Path runsRoot) {
        Path dir = out;
        if (dir == null) {
            String stamp = LocalDateTime.now().format(STAMP);
            dir = runsRoot.resolve(stamp);
            for (int i = 2; Files.exists(dir); i++) dir = runsRoot.resolve(stamp + "-" + i);
        } else if (Files.exists(dir.resolve(LAST)) || Files.exists(dir.resolve(METRICS))) {
            throw new LenetException(dir + " already holds a training run; choose another --out, or continue it with --resume "
                    + dir.resolve(LAST));
        }
        return open(dir);
    }

    /** The folder of the run that wrote {@code checkpoint}, with its metrics up to {@code epoch} kept. */
    public static RunFolder forResume(Path checkpoint, int epoch) {
        Path parent = checkpoint.toAbsolutePath().getParent();
        RunFolder run = open(parent);
        Path csv = parent.resolve(METRICS);
        if (Files.isRegularFile(csv)) {
            try {
                for (String line : Files.readAllLines(csv, StandardCharsets.UTF_8)) {
                    int comma = line.indexOf(',');
                    if (comma <= 0) continue;
                    try {
                        if (Integer.parseInt(line.substring(0, comma)) <= epoch) {
                            run.metricRows.add(line);
                            run.jsonRows.add(EpochResult.jsonRow(EpochResult.CSV_HEADER, line));
                        }
                    } catch (NumberFormatException header) {
                        // the header row
                    }
                }
            } catch (IOException e) {
                throw new LenetException(csv + ": cannot read (" + e.getMessage() + ")");
            }
        }
        return run;
    }

    private static RunFolder open(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new LenetException(dir + ": cannot create the run folder (" + e.getMessage() + "); choose another --out");
        }
        try {
            // Known before training starts: a read-only folder or file system, or no space for even a small file.
            Path probe = Files.createTempFile(dir, ".write-test", "");
            Files.write(probe, new byte[4096]);
            Files.delete(probe);
        } catch (IOException e) {
            throw new LenetException(dir + ": cannot write in the run folder (" + e.getMessage() + "); choose another --out");
        }
        return new RunFolder(dir);
    }

    public Path dir() {
        return dir;
    }

    public Path last() {
        return dir.resolve(LAST);
    }

    public Path epochFile(int epoch) {
        return dir.resolve(String.format("epoch-%02d.npz", epoch));
    }

    /** Appends the epoch's row and rewrites metrics.csv and metrics.jsonl atomically. */
    void recordMetrics(EpochResult r) throws IOException {
        metricRows.add(r.csvRow());
        jsonRows.add(EpochResult.jsonRow(EpochResult.CSV_HEADER, r.csvRow()));
        StringBuilder csv = new StringBuilder(EpochResult.CSV_HEADER).append('\n');
        for (String row : metricRows) csv.append(row).append('\n');
        AtomicFiles.write(dir.resolve(METRICS), out -> out.write(csv.toString().getBytes(StandardCharsets.UTF_8)));
        String jsonl = String.join("\n", jsonRows) + "\n";
        AtomicFiles.write(dir.resolve(METRICS_JSONL), out -> out.write(jsonl.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Rewrites progress.json when a second has passed since the last time, and after an epoch's last
     * step: {@code {"epoch", "epochs", "images", "total", "train_loss", "train_accuracy", "seconds"}},
     * the running numbers of the epoch under way. Best effort: a failed write costs the run nothing.
     */
    void recordProgress(int epoch, int epochs, int images, int total, double loss, double accuracy, double seconds) {
        long now = System.nanoTime();
        if (images < total && now - progressWritten < 1_000_000_000L) return;
        progressWritten = now;
        String json = String.format(java.util.Locale.ROOT,
                "{\"epoch\": %d, \"epochs\": %d, \"images\": %d, \"total\": %d, \"train_loss\": %s, \"train_accuracy\": %.6f, \"seconds\": %.3f}%n",
                epoch, epochs, images, total, Double.isFinite(loss) ? String.format(java.util.Locale.ROOT, "%.6f", loss) : "null", accuracy, seconds);
        try {
            AtomicFiles.write(dir.resolve(PROGRESS), out -> out.write(json.getBytes(StandardCharsets.UTF_8)));
        } catch (LenetException e) {
            // a full disk shows up at the next checkpoint, which matters; this file does not
        }
    }

    /** Makes last.npz a copy of {@code checkpoint}, atomically like every file here. */
    void copyToLast(Path checkpoint) {
        AtomicFiles.write(last(), out -> Files.copy(checkpoint, out));
    }

    /** Writes config.json: the fully resolved settings of the run, seed included. */
    void writeConfig(byte[] json) {
        AtomicFiles.write(dir.resolve(CONFIG), out -> out.write(json));
    }
}
