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
import java.util.regex.Pattern;
import java.util.stream.Stream;
import lenet.LenetException;
import lenet.io.AtomicFiles;
import lenet.io.Json;
import lenet.io.IoReasons;

/**
 * The folder of one training run: {@code last.npz} (the newest checkpoint), {@code epoch-NN.npz}
 * (one per epoch) and {@code metrics.csv} (one row per epoch), and the lock file {@code .lenet-lock}
 * ({@link RunLock}), which names the process that trains in it, and is empty once it is done.
 *
 * <p>A run owns its folder: it is locked for the whole run, so a second process is refused; a new
 * run starts only in a new or empty folder (with {@code force}, beside files that are not a run's,
 * none of which it replaces); a resumed run continues in the folder of its checkpoint and nowhere
 * else. {@link #close} releases the lock and removes a folder that this run made and left empty.
 */
public final class RunFolder implements AutoCloseable {
    public static final String LAST = "last.npz";
    public static final String METRICS = "metrics.csv";
    public static final String METRICS_JSONL = "metrics.jsonl";
    public static final String CONFIG = "config.json";
    /** Drawn by the command line's listener (report.Curves.FILE). */
    static final String CURVES = "curves.png";
    /** Where the epoch under way is, rewritten at most once a second while training (for {@code lenet serve}'s live view). */
    public static final String PROGRESS = "progress.json";
    private static final Pattern RUN_FILE = Pattern.compile(
            "epoch-\\d+\\.npz|last\\.npz|metrics\\.csv|metrics\\.jsonl|config\\.json|progress\\.json|curves\\.png|report" // report: lenet report's folder
            + "|\\..+\\.tmp-[0-9a-f]+|\\.write-test\\d*" // AtomicFiles' temp files, the write probe
            + "|" + Pattern.quote(RunLock.NAME));
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path dir;
    private final RunLock lock;
    private final boolean created;
    private final List<EpochResult> metrics = new ArrayList<>();
    private long progressWritten = System.nanoTime() - 1_000_000_000L;

    private RunFolder(Path dir, RunLock lock, boolean created) {
        this.dir = dir;
        this.lock = lock;
        this.created = created;
    }

    /** {@link #createNew(Path, Path, boolean)} without force. */
    public static RunFolder createNew(Path out, Path runsRoot) {
        return createNew(out, runsRoot, false);
    }

    /**
     * A locked folder for a new run: {@code out} when given, otherwise a new time-stamped folder
     * under {@code runsRoot}. {@code out} must be new or empty; with {@code force} it may hold
     * other files, but none that a run writes (they are never replaced).
     */
    public static RunFolder createNew(Path out, Path runsRoot, boolean force) {
        Path dir = out;
        if (dir == null) {
            String stamp = LocalDateTime.now().format(STAMP);
            dir = runsRoot.resolve(stamp);
            for (int i = 2; Files.exists(dir); i++) dir = runsRoot.resolve(stamp + "-" + i);
        }
        boolean created = !Files.exists(dir);
        if (!created && Files.isDirectory(dir)) {
            try {
                checkNewRunMayWrite(dir, force); // refused before any lock file is made
            } catch (LenetException e) {
                throw heldOr(dir, e);
            }
        }
        RunFolder run = open(dir, created);
        try {
            checkNewRunMayWrite(dir, force); // again, now that no other run can start here
        } catch (RuntimeException e) {
            run.close();
            throw e;
        }
        return run;
    }

    /**
     * The locked folder of the run that wrote {@code checkpoint}. It must hold nothing but that
     * run's files (and the checkpoint), unless {@code force}. Lock it before reading the
     * checkpoint, then call {@link #keepMetricsUpTo}.
     */
    public static RunFolder forResume(Path checkpoint, boolean force) {
        Path parent = checkpoint.toAbsolutePath().getParent();
        if (!Files.isDirectory(parent)) throw new LenetException(checkpoint + ": no such file; check the path");
        try {
            checkResumeMayWrite(parent, checkpoint, force); // refused before any lock file is made
        } catch (LenetException e) {
            throw heldOr(parent, e);
        }
        return open(parent, false);
    }

    /** The holder's message when a run holds the folder (its files are then its own, not an earlier run's), else {@code e}. */
    private static LenetException heldOr(Path dir, LenetException e) {
        if (Files.exists(dir.resolve(RunLock.NAME))) RunLock.acquire(dir).close(); // throws when held
        return e;
    }

    private static void checkResumeMayWrite(Path dir, Path checkpoint, boolean force) {
        List<String> foreign = entries(dir, name -> !RUN_FILE.matcher(name).matches() && !name.equals(checkpoint.getFileName().toString()));
        if (!foreign.isEmpty() && !force) {
            throw new LenetException(dir + ": holds files that are not this run's (" + list(foreign) + "); {resume} writes the run's"
                    + " epoch-NN.npz, last.npz, metrics.csv and config.json here: move the other files away, or add {force}"
                    + " (they are never replaced)");
        }
    }

    /** Keeps the epochs up to {@code epoch} (the checkpoint's) of metrics.jsonl, to which the resumed run adds its own. */
    public RunFolder keepMetricsUpTo(int epoch) {
        for (EpochResult r : readMetrics(dir)) if (r.epoch() <= epoch) metrics.add(r);
        return this;
    }

    /** The rows of a run folder's metrics.jsonl (empty when there is none); a damaged row is one line naming the file. */
    public static List<EpochResult> readMetrics(Path dir) {
        Path jsonl = dir.resolve(METRICS_JSONL);
        List<EpochResult> rows = new ArrayList<>();
        if (!Files.isRegularFile(jsonl)) return rows;
        try {
            for (String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) rows.add(Json.MAPPER.readValue(line, EpochResult.class));
            }
        } catch (IOException e) {
            throw new LenetException(jsonl + ": cannot read its rows (" + IoReasons.of(e) + "); the file is damaged");
        }
        return rows;
    }

    /** Creates (if needed) and locks the folder, then checks that it can be written. */
    private static RunFolder open(Path dir, boolean created) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new LenetException(dir + ": is a file, not a folder; choose another {out}");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new LenetException(dir + ": cannot create the run folder (" + IoReasons.of(e) + "); choose another {out}");
        }
        RunFolder run = new RunFolder(dir, RunLock.acquire(dir), created);
        try {
            // Known before training starts: a read-only folder or file system, or no space for even a small file.
            Path probe = Files.createTempFile(dir, ".write-test", "");
            Files.write(probe, new byte[4096]);
            Files.delete(probe);
        } catch (IOException e) {
            run.close();
            throw new LenetException(dir + ": cannot write in the run folder (" + IoReasons.of(e) + "); choose another {out}");
        }
        return run;
    }

    /** A new run writes only into an empty folder, or with force beside files that are not a run's. */
    private static void checkNewRunMayWrite(Path dir, boolean force) {
        if (Files.exists(dir.resolve(LAST))) {
            throw new LenetException(dir + " already holds a training run; choose another {out}, or continue it with {resume} "
                    + dir.resolve(LAST));
        }
        List<String> runFiles = entries(dir, name -> RUN_FILE.matcher(name).matches() && !name.equals(RunLock.NAME));
        if (!runFiles.isEmpty()) {
            throw new LenetException(dir + ": holds files of an earlier run (" + list(runFiles) + "), which a new run would replace;"
                    + " choose another {out}" + (force ? " ({force} never replaces files)" : ""));
        }
        List<String> others = entries(dir, name -> !RUN_FILE.matcher(name).matches());
        if (!others.isEmpty() && !force) {
            throw new LenetException(dir + ": is not empty (" + list(others) + "); a new run needs a new or empty folder:"
                    + " choose another {out}, or add {force} to train beside these files (none is replaced or deleted)");
        }
    }

    /** The names in the folder that {@code which} accepts, sorted. */
    private static List<String> entries(Path dir, java.util.function.Predicate<String> which) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(which).sorted().toList();
        } catch (IOException e) {
            throw new LenetException(dir + ": cannot list the run folder (" + IoReasons.of(e) + ")");
        }
    }

    /** "a, b, c" or "a, b, c and 7 more". */
    private static String list(List<String> names) {
        String shown = String.join(", ", names.subList(0, Math.min(3, names.size())));
        return names.size() > 3 ? shown + " and " + (names.size() - 3) + " more" : shown;
    }

    /** Releases the lock; a folder this run created and left empty (but for the lock file) is removed. */
    @Override
    public void close() {
        lock.close();
        if (created && entries(dir, name -> !name.equals(RunLock.NAME)).isEmpty()) {
            try {
                Files.deleteIfExists(dir.resolve(RunLock.NAME));
                Files.delete(dir); // fails, as it should, if anything was written meanwhile
            } catch (IOException notEmpty) {
                // the folder stays
            }
        }
    }

    public Path dir() {
        return dir;
    }

    RunLock lock() {
        return lock;
    }

    public Path last() {
        return dir.resolve(LAST);
    }

    public Path epochFile(int epoch) {
        return dir.resolve(String.format("epoch-%02d.npz", epoch));
    }

    /** Appends the epoch's row and rewrites metrics.csv and metrics.jsonl atomically. */
    void recordMetrics(EpochResult r) throws IOException {
        metrics.add(r);
        StringBuilder csv = new StringBuilder(EpochResult.CSV_HEADER).append('\n');
        StringBuilder jsonl = new StringBuilder();
        for (EpochResult row : metrics) {
            csv.append(row.csvRow()).append('\n');
            jsonl.append(Json.line(row)).append('\n');
        }
        AtomicFiles.write(dir.resolve(METRICS), out -> out.write(csv.toString().getBytes(StandardCharsets.UTF_8)));
        AtomicFiles.write(dir.resolve(METRICS_JSONL), out -> out.write(jsonl.toString().getBytes(StandardCharsets.UTF_8)));
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
        String json = Json.line(new Progress(epoch, epochs, images, total, Double.isFinite(loss) ? loss : null, accuracy, seconds)) + "\n";
        try {
            AtomicFiles.write(dir.resolve(PROGRESS), out -> out.write(json.getBytes(StandardCharsets.UTF_8)));
        } catch (LenetException e) {
            // a full disk shows up at the next checkpoint, which matters; this file does not
        }
    }

    /** progress.json: the running numbers of the epoch under way ({@code train_loss} null when not finite). */
    public record Progress(int epoch, int epochs, int images, int total, Double trainLoss, double trainAccuracy, double seconds) {}

    /** Makes last.npz a copy of {@code checkpoint}, atomically like every file here. */
    void copyToLast(Path checkpoint) {
        AtomicFiles.write(last(), out -> Files.copy(checkpoint, out));
    }

    /** Writes config.json: the fully resolved settings of the run, seed included. */
    void writeConfig(byte[] json) {
        AtomicFiles.write(dir.resolve(CONFIG), out -> out.write(json));
    }
}
