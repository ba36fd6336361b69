package lenet.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import lenet.LenetException;
import lenet.data.Dataset;
import lenet.image.Preprocessing;
import lenet.io.NdArray;
import lenet.io.Npz;
import lenet.model.Activation;
import lenet.model.ModelState;
import lenet.model.Pixels;
import lenet.model.Pooling;
import lenet.train.Checkpoint;
import lenet.train.Trainer;

/**
 * Mutation fuzzing of lenet's readers of untrusted files, with one oracle for all of them: every
 * input ends in a correct accept or in a clean rejection (a {@link LenetException} whose message is
 * one line, names the file and names no Java class or bare error code), within {@link #SECONDS}
 * and within the target's stated memory bound; anything else (another exception or error, a
 * hang, more memory) is a finding.
 *
 * <p>Targets and their seeds (made here, small): {@code idx} (MNIST-style images and labels, raw
 * and gzipped, read as a data set), {@code checkpoint} (lenet checkpoints with meta.json and
 * momentum, and numpy.savez-style ones, stored and deflated), {@code meta} (a lenet checkpoint
 * whose meta.json is mutated as text or as JSON, half of the time signed again with a valid
 * checksum as a newer lenet or a careful editor would) and {@code image} (the sample images, a
 * BMP and a 16-bit grey PNG, through the preprocessing of {@code lenet predict}). Each case is
 * (target, seed): the same pair always gives the same input.
 */
final class Fuzz {
    enum Target { IDX, CHECKPOINT, META, IMAGE }

    /** The longest a case may take (the machine may be busy; a case normally takes milliseconds). */
    static final long SECONDS = 20;
    private static final long MB = 1 << 20;

    /**
     * Bytes a case may allocate (ThreadMXBean's count, garbage included, so it bounds the peak):
     * 64 MB for the readers whose inputs here are a few kilobytes; for images, the decoder's
     * raster of up to the 40-megapixel limit times 4 bytes, and its copies, 768 MB.
     */
    static long memoryBound(Target t) {
        return t == Target.IMAGE ? 768 * MB : 64 * MB;
    }

    /** A Java class name, an exception's simple name, or a bare number in parentheses given as the reason, such as "(-72);". */
    private static final Pattern INTERNALS = Pattern.compile(
            "\\b(java|javax|sun|jdk|com|org|lenet)\\.[a-z]\\w*\\.|\\b[A-Z]\\w*(Exception|Error)\\b|\\(-?\\d+\\)(;|$)");

    record Finding(Target target, long seed, String kind, String detail, byte[] input, String extension) {
        String name() {
            return target.name().toLowerCase(Locale.ROOT) + "-" + Long.toHexString(seed);
        }

        @Override
        public String toString() {
            return name() + ": " + kind + ": " + detail.lines().findFirst().orElse("");
        }
    }

    private final Path work;
    private final ObjectMapper json = new ObjectMapper();
    private final List<byte[]> idxImages = new ArrayList<>();
    private byte[] idxLabels;
    private final List<byte[]> checkpoints = new ArrayList<>();
    private final List<Map<String, NdArray>> checkpointArrays = new ArrayList<>();
    private final List<Activation> checkpointActivation = new ArrayList<>();
    private final List<byte[]> images = new ArrayList<>();
    private final List<String> imageExtensions = new ArrayList<>();
    private Map<String, NdArray> metaModel;
    private Map<String, NdArray> metaSgd;
    private ObjectNode metaSeed;
    private Map<String, NdArray> metaArrays;
    private ExecutorService worker = newWorker();

    Fuzz(Path work) throws IOException {
        this.work = Files.createDirectories(work);
        makeIdxSeeds();
        makeCheckpointSeeds();
        makeImageSeeds();
    }

    // ---- seeds ----

    private void makeIdxSeeds() {
        Random rng = new Random(1);
        int count = 30;
        ByteBuffer img = ByteBuffer.allocate(16 + count * 784).putInt(0x803).putInt(count).putInt(28).putInt(28);
        byte[] pixels = new byte[count * 784];
        rng.nextBytes(pixels);
        img.put(pixels);
        ByteBuffer lab = ByteBuffer.allocate(8 + count).putInt(0x801).putInt(count);
        for (int i = 0; i < count; i++) lab.put((byte) (i % 10));
        idxImages.add(img.array());
        idxLabels = lab.array();
    }

    private void makeCheckpointSeeds() throws IOException {
        for (Activation act : Activation.values()) {
            Map<String, NdArray> net = lenet.TestModels.random(act, act == Activation.RELU ? Pooling.MAX : Pooling.AVG, act.ordinal()).all();
            Random momentum = new Random(100 + act.ordinal());
            Map<String, NdArray> sgd = new LinkedHashMap<>();
            net.forEach((name, a) -> {
                float[] v = new float[a.data().length];
                for (int i = 0; i < v.length; i++) v[i] = momentum.nextFloat() - 0.5f;
                sgd.put("momentum." + name, new NdArray(a.shape(), v));
            });
            ObjectNode meta = trainerLikeMeta(act, act == Activation.RELU ? "max" : "avg");
            Path file = work.resolve("seed-" + act + ".npz");
            Checkpoint.save(file, net, sgd, meta);
            checkpoints.add(Files.readAllBytes(file));
            checkpointArrays.add(Checkpoint.load(file).arrays());
            checkpointActivation.add(act);
            if (metaModel == null) {
                metaModel = net;
                metaSgd = sgd;
                metaSeed = meta;
                metaArrays = Npz.read(file).arrays();
                Trainer.configOf(Checkpoint.load(file)); // the seed is one that --resume takes
            }
        }
        // numpy.savez of a state_dict (stored) and numpy.savez_compressed (deflated): no meta.json.
        Map<String, NdArray> plain = new LinkedHashMap<>(checkpointArrays.get(0));
        Path stored = work.resolve("seed-numpy.npz");
        Npz.write(stored, plain, Map.of());
        checkpoints.add(Files.readAllBytes(stored));
        checkpointArrays.add(null);
        checkpointActivation.add(null);
        checkpoints.add(rezip(Files.readAllBytes(stored), -1, null, ZipEntry.DEFLATED));
        checkpointArrays.add(null);
        checkpointActivation.add(null);
    }

    /** meta.json's fields as Trainer writes them (a smaller config is enough for --resume to parse). */
    private ObjectNode trainerLikeMeta(Activation act, String pooling) {
        ObjectNode meta = json.createObjectNode();
        ObjectNode arch = meta.putObject("architecture");
        arch.put("name", "LeNet-5").put("activation", act.cliName()).put("pooling", pooling);
        arch.putArray("input_shape").add(1).add(28).add(28);
        arch.put("classes", 10);
        meta.put("input_normalization", Pixels.NORMALIZATION);
        meta.put("epoch", 2).put("step", 938).put("seed", 1).put("dataset", "mnist");
        ObjectNode c = meta.putObject("config");
        c.put("recipe", "default").put("dataset", "mnist").put("data_dir", "data/mnist").put("activation", act.cliName())
                .put("pooling", pooling).put("init_gain", 4.0).put("lr", 0.5).put("schedule", "one-cycle").put("momentum", 0.9)
                .put("weight_decay", 1e-4).put("batch_size", 128).put("epochs", 12).put("max_shift", 2).put("shift_from_epoch", 2)
                .put("shuffle", true).put("limit", 0).put("seed", 1);
        meta.putObject("optimizer").put("type", "sgd");
        meta.putObject("metrics").put("train_loss", 0.3).put("test_accuracy", 0.97);
        meta.putObject("epoch_progress").put("epoch", 3).put("steps_done", 17).put("loss_sum", 12.5).put("correct", 1900).put("seconds", 1.5);
        return meta;
    }

    private void makeImageSeeds() throws IOException {
        try (var files = Files.list(Path.of("data", "samples"))) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                int dot = name.lastIndexOf('.');
                if (dot < 0 || name.endsWith(".md")) continue;
                images.add(Files.readAllBytes(f));
                imageExtensions.add(name.substring(dot + 1));
            }
        }
        BufferedImage bmp = new BufferedImage(40, 30, BufferedImage.TYPE_3BYTE_BGR);
        BufferedImage grey16 = new BufferedImage(32, 32, BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < 30; y++) for (int x = 0; x < 40; x++) {
            bmp.setRGB(x, y, Math.abs(x - 20) < 3 ? 0x202020 : 0xf0f0f0);
            if (x < 32) grey16.getRaster().setSample(x, y, 0, Math.abs(y - 16) < 3 ? 60000 : 500);
        }
        addImage(bmp, "bmp");
        addImage(grey16, "png");
    }

    private void addImage(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!ImageIO.write(image, format, bytes)) throw new IllegalStateException("no " + format + " writer");
        images.add(bytes.toByteArray());
        imageExtensions.add(format);
    }

    // ---- cases ----

    private Case make(Target target, long seed) {
        Random rng = new Random(seed * 0x9E3779B97F4A7C15L + target.ordinal());
        return switch (target) {
            case IDX -> idxCase(rng);
            case CHECKPOINT -> checkpointCase(rng);
            case META -> metaCase(rng);
            case IMAGE -> imageCase(rng);
        };
    }

    /** Case {@code seed} of {@code target} without running it, to keep an earlier finding as a fixture. */
    Finding input(Target target, long seed) {
        Case c = make(target, seed);
        return new Finding(target, seed, "kept", "", c.input, c.extension);
    }

    /** Runs case {@code seed} of {@code target}; null when the oracle holds, else the finding. */
    Finding run(Target target, long seed) {
        return judge(target, seed, make(target, seed));
    }

    /**
     * Runs {@code data} as it is (a coverage-guided fuzzer's input, see {@link JazzerTarget}): the
     * IDX target's first byte says whether the rest is the images file (even) or the labels file
     * (odd); the meta target's input is meta.json, put into a valid checkpoint unsigned.
     */
    Finding check(Target target, byte[] data) {
        long id = java.util.Arrays.hashCode(data) & 0xffffffffL;
        Case c = switch (target) {
            case IDX -> {
                boolean labels = data.length > 0 && (data[0] & 1) == 1;
                byte[] rest = data.length == 0 ? data : Arrays.copyOfRange(data, 1, data.length);
                yield idxCaseOf(rest, labels);
            }
            case CHECKPOINT -> checkpointCaseOf(data, -1);
            case META -> metaCaseOf(data, false);
            case IMAGE -> imageCaseOf(data, "img");
        };
        return judge(target, id, c);
    }

    /** The seeds a coverage-guided fuzzer starts from, one file each, in the form {@link #check} takes. */
    void writeSeeds(Path dir) throws IOException {
        for (Target t : Target.values()) Files.createDirectories(dir.resolve(t.name().toLowerCase(Locale.ROOT)));
        byte[] images = new byte[idxImages.get(0).length + 1];
        System.arraycopy(idxImages.get(0), 0, images, 1, images.length - 1);
        byte[] labels = new byte[idxLabels.length + 1];
        labels[0] = 1;
        System.arraycopy(idxLabels, 0, labels, 1, labels.length - 1);
        Files.write(dir.resolve("idx/images"), images);
        Files.write(dir.resolve("idx/labels"), labels);
        for (int i = 0; i < checkpoints.size(); i++) Files.write(dir.resolve("checkpoint/seed-" + i + ".npz"), checkpoints.get(i));
        Files.write(dir.resolve("meta/meta.json"), metaSeed.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (int i = 0; i < this.images.size(); i++) {
            Files.write(dir.resolve("image/seed-" + i + "." + imageExtensions.get(i)), this.images.get(i));
        }
    }

    private Finding judge(Target target, long seed, Case c) {
        Outcome o;
        long start = System.nanoTime();
        try {
            Future<Outcome> f = worker.submit(() -> measured(c));
            o = f.get(SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            worker.shutdownNow();
            worker = newWorker(); // the stuck thread is left behind, a daemon
            return new Finding(target, seed, "hang", "no answer after " + SECONDS + " s", c.input, c.extension);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        slowest = Math.max(slowest, seconds);
        if (o.thrown != null) {
            java.io.StringWriter trace = new java.io.StringWriter();
            o.thrown.printStackTrace(new java.io.PrintWriter(trace));
            return new Finding(target, seed, "trace", trace.toString(), c.input, c.extension);
        }
        if (o.allocated > memoryBound(target)) {
            return new Finding(target, seed, "memory", (o.allocated >> 20) + " MB allocated, bound " + (memoryBound(target) >> 20) + " MB",
                    c.input, c.extension);
        }
        if (o.message != null) {
            String bad = badMessage(o.message, c.names);
            return bad == null ? null : new Finding(target, seed, "message", bad + ": " + o.message, c.input, c.extension);
        }
        return o.wrongAccept == null ? null : new Finding(target, seed, "accepted", o.wrongAccept, c.input, c.extension);
    }

    /** The longest a case took so far, in seconds. */
    double slowest;

    private record Outcome(String message, String wrongAccept, Throwable thrown, long allocated) {}

    /** One mutant: its bytes, the file names its messages may name, and the read with its accept check (null: correct). */
    private record Case(byte[] input, String extension, List<String> names, ReadAndCheck read) {}

    @FunctionalInterface
    private interface ReadAndCheck {
        String run() throws Exception;
    }

    private static Outcome measured(Case c) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(id);
        String message = null, wrong = null;
        Throwable thrown = null;
        try {
            wrong = c.read.run();
        } catch (LenetException e) {
            message = e.getMessage();
        } catch (Preprocessing.NoDigitException e) {
            message = e.getMessage(); // predict's "no digit found" answer for a readable image
        } catch (Throwable t) {
            thrown = t;
        }
        return new Outcome(message, wrong, thrown, mx.getThreadAllocatedBytes(id) - before);
    }

    /** Why a rejection message is not a clean one-liner, or null. */
    static String badMessage(String message, List<String> names) {
        if (message == null || message.isBlank()) return "empty message";
        if (message.contains("\n") || message.contains("\r")) return "more than one line";
        if (names.stream().noneMatch(message::contains)) return "does not name the file";
        var m = INTERNALS.matcher(message);
        if (m.find()) return "names Java internals or a bare code ('" + m.group() + "')";
        return null;
    }

    private Case idxCase(Random rng) {
        boolean mutateLabels = rng.nextInt(3) == 0;
        byte[] raw = mutateLabels ? idxLabels : idxImages.get(0);
        byte[] input;
        switch (rng.nextInt(3)) {
            case 0 -> input = Mutator.gzip(Mutator.mutate(raw, rng)); // the header and data, gzipped intact
            case 1 -> input = Mutator.mutate(Mutator.gzip(raw), rng); // the gzip stream itself
            default -> input = Mutator.mutate(raw, rng);
        }
        return idxCaseOf(input, mutateLabels);
    }

    private Case idxCaseOf(byte[] input, boolean mutateLabels) {
        Path images = work.resolve("fuzz-images");
        Path labels = work.resolve("fuzz-labels");
        write(mutateLabels ? labels : images, input);
        write(mutateLabels ? images : labels, mutateLabels ? idxImages.get(0) : idxLabels);
        return new Case(input, mutateLabels ? "labels" : "images", List.of(images.toString(), labels.toString()), () -> {
            Dataset d = Dataset.load(images, labels);
            return d.pixels().length == (long) d.count() * d.rows() * d.cols() && d.labels().length == d.count() ? null
                    : "a data set whose arrays do not match its counts";
        });
    }

    private Case checkpointCase(Random rng) {
        int which = rng.nextInt(checkpoints.size());
        byte[] seed = checkpoints.get(which);
        // A third of the time the zip stays valid and one member is mutated inside it, so the .npy
        // and meta.json readers are reached past the archive's checks.
        byte[] input = rng.nextInt(3) == 0 ? rezip(seed, rng.nextInt(32), rng, -1) : Mutator.mutate(seed, rng);
        return checkpointCaseOf(input, which);
    }

    /** {@code which}: the seed it came from, or -1 when unknown (then it must match one of lenet's seeds). */
    private Case checkpointCaseOf(byte[] input, int which) {
        Path file = work.resolve("fuzz.npz");
        write(file, input);
        return new Case(input, "npz", List.of(file.toString()), () -> {
            Checkpoint.Contents c = Checkpoint.load(file);
            for (NdArray a : c.arrays().values()) for (float v : a.data()) if (!Float.isFinite(v)) return "a non-finite weight";
            if (c.meta() == null) return null; // a numpy.savez file: nothing to compare with
            // lenet's own file: whatever loads must be what was saved, and mean the same.
            for (int i = 0; i < checkpoints.size(); i++) {
                if ((which < 0 || which == i) && checkpointArrays.get(i) != null && checkpointArrays.get(i).equals(c.arrays())
                        && c.architecture().activation() == checkpointActivation.get(i)) return null;
            }
            return "weights or architecture differ from what lenet saved, yet the checksum passed";
        });
    }

    private Case metaCase(Random rng) {
        Path file = work.resolve("fuzz-meta.npz");
        byte[] metaBytes;
        boolean signed = false;
        if (rng.nextBoolean()) {
            ObjectNode tree = metaSeed.deepCopy();
            for (int k = 1 + rng.nextInt(3); k > 0; k--) mutateTree(tree, rng);
            if (rng.nextBoolean()) {
                try {
                    Checkpoint.save(file, metaModel, metaSgd, tree); // signed again, as a newer lenet would
                    signed = true;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            metaBytes = tree.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } else {
            metaBytes = Mutator.mutate(metaSeed.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8), rng);
        }
        if (!signed) return metaCaseOf(metaBytes, false);
        return metaFileCase(read(file), true);
    }

    /** meta.json {@code metaBytes} in the seed checkpoint, with the checksum it carries (signed: a new, valid one). */
    private Case metaCaseOf(byte[] metaBytes, boolean signed) {
        write(work.resolve("fuzz-meta.npz"), rezip(checkpoints.get(0), -2, null, -1, metaBytes));
        return metaFileCase(read(work.resolve("fuzz-meta.npz")), signed);
    }

    private Case metaFileCase(byte[] input, boolean resigned) {
        Path file = work.resolve("fuzz-meta.npz");
        return new Case(input, "npz", List.of(file.toString()), () -> {
            Checkpoint.Contents c = Checkpoint.load(file);
            c.architecture();
            if (!resigned && !canonicalSame(c.meta())) return "an edited meta.json was accepted without a new checksum";
            // What --resume does next: a LenetException is a clean refusal, anything else a finding.
            if (c.meta() != null && c.meta().has("config")) Trainer.configOf(c);
            Trainer.progressOf(c);
            Trainer.epochOf(c);
            return null;
        });
    }

    /** True when {@code meta} says what the seed's meta.json said (format fields and checksum aside). */
    private boolean canonicalSame(ObjectNode meta) {
        if (meta == null) return false;
        ObjectNode a = meta.deepCopy();
        for (String f : new String[] {"format", "format_version", "checksum_sha256", "arrays_sha256"}) a.remove(f);
        return a.equals(metaSeed);
    }

    private static final String[] TEXTS = {"tanh", "", "SIGMOID", "relu ", "max", "none", "batch", "LeNet-5", "NaN", "1e999",
        "\u0000", "\ud83d\ude00", "x".repeat(10_000)};

    private void mutateTree(ObjectNode root, Random rng) {
        // Pick a random object node and one of its fields.
        List<ObjectNode> objects = new ArrayList<>();
        collect(root, objects);
        ObjectNode node = objects.get(rng.nextInt(objects.size()));
        List<String> fields = new ArrayList<>();
        node.fieldNames().forEachRemaining(fields::add);
        String field = fields.isEmpty() ? "extra" : fields.get(rng.nextInt(fields.size()));
        switch (rng.nextInt(9)) {
            case 0 -> node.remove(field);
            case 1 -> node.put(field, TEXTS[rng.nextInt(TEXTS.length)]);
            case 2 -> node.put(field, new long[] {0, -1, Long.MAX_VALUE, Long.MIN_VALUE, 3, 1_000_000_000L}[rng.nextInt(6)]);
            case 3 -> node.put(field, new double[] {0.0, -0.5, 1e308, Double.MIN_VALUE, 0.1, -1e-300}[rng.nextInt(6)]);
            case 4 -> node.putNull(field);
            case 5 -> node.put(field, rng.nextBoolean());
            case 6 -> {
                ArrayNode a = node.putArray(field);
                for (int i = rng.nextInt(4); i > 0; i--) a.add(rng.nextInt(100) - 50);
            }
            case 7 -> {
                ObjectNode deep = node.putObject(field);
                for (int i = 0; i < rng.nextInt(200); i++) deep = deep.putObject("d");
            }
            default -> node.put("extra_" + rng.nextInt(10), TEXTS[rng.nextInt(TEXTS.length)]);
        }
    }

    private static void collect(JsonNode n, List<ObjectNode> out) {
        if (n instanceof ObjectNode o) {
            out.add(o);
            o.elements().forEachRemaining(child -> collect(child, out));
        }
    }

    private Case imageCase(Random rng) {
        int which = rng.nextInt(images.size());
        return imageCaseOf(Mutator.mutate(images.get(which), rng), imageExtensions.get(which));
    }

    private Case imageCaseOf(byte[] input, String ext) {
        Path file = work.resolve("fuzz." + ext);
        write(file, input);
        return new Case(input, ext, List.of(file.toString()), () -> {
            Preprocessing.Result r = Preprocessing.fromFile(file, Preprocessing.Invert.AUTO);
            return r.pixels().length == Preprocessing.SIDE * Preprocessing.SIDE ? null : "an image that is not 28x28";
        });
    }

    // ---- helpers ----

    /**
     * The zip {@code npz} written again with valid sizes and CRCs: member {@code mutate} (modulo
     * the count; -1 none, -2 meta.json replaced by {@code metaBytes}) mutated with {@code rng},
     * every member stored, or deflated when {@code method} is {@link ZipEntry#DEFLATED}.
     */
    private static byte[] rezip(byte[] npz, int mutate, Random rng, int method, byte[]... metaBytes) {
        Map<String, byte[]> members = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(npz))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) members.put(e.getName(), in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> names = new ArrayList<>(members.keySet());
        if (mutate >= 0) {
            String name = names.get(mutate % names.size());
            members.put(name, Mutator.mutate(members.get(name), rng));
        } else if (mutate == -2) {
            members.put("meta.json", metaBytes[0]);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> m : members.entrySet()) {
                ZipEntry e = new ZipEntry(m.getKey());
                if (method == ZipEntry.DEFLATED) {
                    e.setMethod(ZipEntry.DEFLATED);
                } else {
                    CRC32 crc = new CRC32();
                    crc.update(m.getValue());
                    e.setMethod(ZipEntry.STORED);
                    e.setSize(m.getValue().length);
                    e.setCompressedSize(m.getValue().length);
                    e.setCrc(crc.getValue());
                }
                zip.putNextEntry(e);
                zip.write(m.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-case");
            t.setDaemon(true);
            return t;
        });
    }

    /** Writes {@code f}'s input where the corpus test will find it; returns the files written. */
    List<Path> saveAsFixture(Finding f, Path bad) throws IOException {
        List<Path> written = new ArrayList<>();
        String name = "fuzz-" + f.name();
        switch (f.target()) {
            case IDX -> {
                boolean labels = f.extension().equals("labels"); // which of the pair was mutated
                written.add(Files.write(bad.resolve("idx").resolve(name + "-images"), labels ? idxImages.get(0) : f.input()));
                written.add(Files.write(bad.resolve("idx").resolve(name + "-labels"), labels ? f.input() : idxLabels));
            }
            case CHECKPOINT, META -> written.add(Files.write(bad.resolve("model").resolve(name + ".npz"), f.input()));
            case IMAGE -> written.add(Files.write(bad.resolve("image").resolve(name + "." + f.extension()), f.input()));
        }
        return written;
    }

    static String summary(Map<Target, int[]> counts) {
        StringBuilder s = new StringBuilder();
        counts.forEach((t, c) -> s.append(String.format(Locale.ROOT, "%s %d cases, %d findings; ", t.name().toLowerCase(Locale.ROOT), c[0], c[1])));
        return s.toString();
    }

    static List<Target> targets() {
        return Arrays.asList(Target.values());
    }
}
