package lenet.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import lenet.LenetException;
import lenet.image.Holes;
import lenet.image.ImageFiles;
import lenet.image.Page;
import lenet.image.Preprocessing;
import lenet.engine.Engine;
import lenet.engine.Engines;
import lenet.engine.Network;
import lenet.model.ModelSpec;
import lenet.model.ModelState;
import lenet.model.Outputs;
import lenet.model.Pixels;

/**
 * Classifies 28x28 images with a trained model: the same input as training (byte / 255, [N, 1, 28,
 * 28]), a forward pass, softmax of the logits.
 *
 * <p>Which engine runs the network is {@link Engines}' choice, from the number of images alone
 * and before any native library is touched: a few go through the reference engine's plain Java
 * loops, which need no start-up; many through ND4J's batched kernels, faster per image but a few
 * tenths of a second to start. The two give the same numbers within float rounding.
 */
public final class Predictor {
    /** Images per forward pass; also how many files are read before their answers are given. */
    public static final int BATCH = 256;

    private final ModelSpec spec;
    private final ModelState state;
    private final java.util.function.LongFunction<Engine> engineFor;
    private final java.util.Map<String, Network> networks = new java.util.concurrent.ConcurrentHashMap<>(); // by engine, made on first use
    /** Familiarity and the network whose features it judges, or null (see {@link #judgeFamiliarity}). */
    private volatile Judge judge;

    private record Judge(Familiarity familiarity, Network network) {}

    /** Whether each answer's loops are checked against the digit read ({@link #judgeDigitShapes}). */
    private volatile boolean digitShapes;

    /** A predictor for the model of {@code spec} holding {@code state}; it starts no engine until it classifies. */
    public Predictor(ModelSpec spec, ModelState state) {
        this(spec, state, work -> Engines.forScoring(spec, work));
    }

    /** The same, with {@code engineFor} choosing the engine for an amount of work (tests compare the engines this way). */
    Predictor(ModelSpec spec, ModelState state, java.util.function.LongFunction<Engine> engineFor) {
        this.spec = spec;
        this.state = state;
        this.engineFor = engineFor;
    }

    public ModelSpec spec() {
        return spec;
    }

    /**
     * Judges each digit's features against the classes the model learned too ({@link Familiarity}):
     * read from the cache, or fitted on the data set in {@code dataDir} ({@code beforeFitting} runs
     * first, to say so). Without the data set's files nothing changes. Returns the familiarity used, or null.
     */
    public Familiarity judgeFamiliarity(Path checkpoint, Path dataDir, Runnable beforeFitting) {
        Network net = lenet.engine.Engines.forLookingInside().network(spec, state);
        Familiarity f = Familiarity.forCheckpoint(checkpoint, x -> Familiarity.features(net, x), dataDir, spec.classes(), beforeFitting);
        judge = f == null ? null : new Judge(f, net);
        return f;
    }

    /**
     * Checks the loops of each digit's ink against the digit read ({@link Reading#judge}): for a model
     * of the ten digits, not of other classes (a Fashion-MNIST model's garments have no such rule).
     */
    public void judgeDigitShapes() {
        digitShapes = true;
    }

    /**
     * True when classifying {@code images} images starts no native library (the reference engine
     * classifies up to {@link Engines#REFERENCE_UP_TO}; see {@link Engines}).
     */
    public boolean startsNothingNative(int images) {
        return Engines.scoresWithoutNative(spec, images);
    }

    /**
     * Reads, finds the digits in, and classifies {@code files} in order, {@link #BATCH} files at a
     * time (their pictures read on all cores), handing each file's {@link Reading} to {@code sink}
     * in the order of {@code files}. A file that cannot be read or holds no digit gets a reading
     * with its one-line error; the others are not affected. Each digit is also classified moved and
     * turned a little ({@link Reading#variants}), for {@link Reading#judge}. The number of files
     * chooses the engine ({@link Engines#forScoring}) for all of them.
     *
     * @param trace the step pictures for a file ({@link Page.Trace#NONE} for none)
     */
    public void predictFiles(List<Path> files, Page.Options options, Function<Path, Page.Trace> trace, Consumer<Reading> sink) {
        long work = (long) files.size() * (1 + Reading.VARIANTS.length);
        for (int from = 0; from < files.size(); from += BATCH) {
            List<Path> chunk = files.subList(from, Math.min(files.size(), from + BATCH));
            Page.Classifier network = new Page.Classifier() {
                @Override
                public float[] probabilities(byte[] pixels) {
                    return probabilitiesOfOne(pixels);
                }

                @Override
                public boolean familiar(byte[] pixels) {
                    double[] d = familiarity(pixels);
                    return !(d[0] > d[1]);
                }
            };
            List<Object> pages = chunk.parallelStream().map(f -> read(f, options, trace.apply(f), network)).toList();
            List<byte[]> images = new ArrayList<>();
            for (Object p : pages) {
                if (!(p instanceof Page.Result r)) continue;
                for (Page.Digit d : r.digits()) {
                    images.add(d.pixels());
                    images.addAll(Reading.variants(d.pixels()));
                }
            }
            float[][] probabilities = probabilities(images, work);
            int k = 0;
            for (int i = 0; i < chunk.size(); i++) {
                if (!(pages.get(i) instanceof Page.Result r)) {
                    sink.accept(Reading.failed(chunk.get(i), (String) pages.get(i)));
                    continue;
                }
                List<Reading.DigitAnswer> answers = new ArrayList<>();
                for (Page.Digit d : r.digits()) {
                    float[] p = probabilities[k++];
                    List<float[]> moved = new ArrayList<>();
                    for (int s = 0; s < Reading.VARIANTS.length; s++) moved.add(probabilities[k++]);
                    double[] f = familiarity(d.pixels());
                    answers.add(Reading.judge(d, p, moved, f[0], f[1], digitShapes ? Holes.loops(d.pixels(), Preprocessing.SIDE) : -1,
                            digitShapes ? Holes.loops(d.pixels(), Preprocessing.SIDE, 1) : -1));
                }
                sink.accept(new Reading(chunk.get(i), r, answers, null));
            }
        }
    }

    /** The distance of a 28x28 image's features from the nearest class and the limit of familiar ones ({@link Familiarity}); both NaN when nothing judges familiarity. Safe from several threads. */
    private double[] familiarity(byte[] pixels) {
        Judge j = judge;
        if (j == null) return new double[] {Double.NaN, Double.NaN};
        float[] x = new float[spec.inputSize()];
        Pixels.scale(pixels, 0, x, 0, x.length);
        return new double[] {j.familiarity().distance(Familiarity.features(j.network(), x)), j.familiarity().limit()};
    }

    /** The file's page, or its one-line error as a String. */
    private static Object read(Path file, Page.Options options, Page.Trace trace, Page.Classifier network) {
        try {
            ImageFiles.Decoded d = ImageFiles.decode(file, Page.longerSideNeeded());
            try {
                return Page.read(d.image(), d.subsampling(), options, trace, network);
            } catch (Preprocessing.NoDigitException e) {
                throw new LenetException(file + ": " + e.getMessage());
            }
        } catch (LenetException e) {
            return e.getMessage();
        } catch (OutOfMemoryError e) {
            return file + ": too large to read in the memory given; scale the image down or raise -Xmx";
        }
    }

    /**
     * The probabilities of one image, on the engine that scores a few images (no native library);
     * safe to call from several threads at once: the page reader asks while it looks for where
     * touching digits are cut apart, before the batch is classified.
     */
    float[] probabilitiesOfOne(byte[] pixels) {
        Engine engine = engineFor.apply(1);
        Network net = networks.computeIfAbsent(engine.name(), name -> engine.network(spec, state));
        int size = spec.inputSize();
        if (pixels.length != size) throw new IllegalArgumentException("the image has " + pixels.length + " pixels, not " + size);
        float[] x = new float[size];
        Pixels.scale(pixels, 0, x, 0, size);
        return Outputs.softmax(net.logits(x, 1), 0, spec.classes());
    }

    /** Softmax probabilities [n][classes] of n images, each 784 bytes (row-major, 0 background to 255 ink). */
    public float[][] probabilities(List<byte[]> images) {
        return probabilities(images, images.size());
    }

    /** The same, on the engine {@link Engines} chooses for {@code work} images in all, {@link #BATCH} at a time. */
    private float[][] probabilities(List<byte[]> images, long work) {
        Engine engine = engineFor.apply(work);
        Network net = networks.computeIfAbsent(engine.name(), name -> engine.network(spec, state));
        int size = spec.inputSize(), classes = spec.classes();
        float[][] out = new float[images.size()][];
        for (int from = 0; from < images.size(); from += BATCH) {
            int to = Math.min(images.size(), from + BATCH);
            float[] batch = new float[(to - from) * size];
            for (int b = from; b < to; b++) {
                byte[] pixels = images.get(b);
                if (pixels.length != size) throw new IllegalArgumentException("image " + b + " has " + pixels.length + " pixels, not " + size);
                Pixels.scale(pixels, 0, batch, (b - from) * size, size);
            }
            float[] logits = net.logits(batch, to - from);
            for (int b = from; b < to; b++) out[b] = Outputs.softmax(logits, (b - from) * classes, classes);
        }
        return out;
    }
}
