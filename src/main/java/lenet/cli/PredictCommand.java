package lenet.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import lenet.LenetException;
import lenet.data.Datasets;
import lenet.io.Json;
import lenet.image.ImageFiles;
import lenet.image.Page;
import lenet.image.StepPictures;
import lenet.image.Preprocessing;
import lenet.model.LeNet;
import lenet.app.Models;
import lenet.train.Predictor;
import lenet.train.Reading;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code lenet predict}: the digits in each image, with their probabilities. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Read the digits in images: a line of one or more digits in a photo, a scan or a drawing, read left to right, "
                    + "each with its probabilities; `unsure` (with the reason) when the answer is not to be trusted: low confidence, "
                    + "not stable when moved or turned a little, cut from touching ink, unlike the digits the model learned from, "
                    + "with loops that digit cannot have (an x read as an 8), or drawn with a pen so wide that it closed "
                    + "the digit's loops or gaps up and the reading had to guess them.",
            "The ink is found against its own paper (shadows, a table around the page, glare), specks, blots, underlines "
                    + "and circles are dropped, and each digit is made as MNIST was made: strokes brought to MNIST's width, "
                    + "scaled to 20x20, centred by mass in 28x28. 28x28 grey images with a dark background are used as they are.",
            "A file that cannot be read is reported and the others still get answers; the exit status is then 1.",
            "A Fashion-MNIST model answers with its class names (each image is then one item: --single)."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  ${COMMAND-FULL-NAME} data/samples                     every image in the folder",
            "  ${COMMAND-FULL-NAME} --model runs/X/last.npz my-7.jpg --top 5",
            "  ${COMMAND-FULL-NAME} --show photo-of-42.png           what the network saw, digit by digit",
            "  ${COMMAND-FULL-NAME} --json --save-preprocessed seen/ scans/"},
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {ExitCodes.OK, ExitCodes.SOME_FAILED, ExitCodes.USAGE})
final class PredictCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image files (PNG, JPEG, GIF, BMP, TIFF, WebP) or folders of them (their images, sorted by name, not sub-folders).")
    List<Path> inputs;

    @Mixin
    ModelOptions models;

    @Option(names = "--top", paramLabel = "K", defaultValue = "3", description = "How many of the most probable digits a one-digit line lists, 1-10 (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--json", description = "One JSON object per image per line: {\"file\", \"digits\", \"digit\" (when one), \"unsure\", \"reason\", \"per_digit\": [{\"digit\", \"box\", \"probabilities\", \"familiarity\", ...}]} or {\"file\", \"error\"}.")
    boolean json;

    @Option(names = "--single", description = "The whole image is one digit (no search for several).")
    boolean single;

    @Option(names = "--invert", paramLabel = "WHEN", defaultValue = "auto", converter = Choices.InvertConverter.class,
            completionCandidates = Choices.InvertModes.class,
            description = "Which way round ink and paper are: auto (from the picture), yes (dark ink on light paper), no (light ink on a dark ground) (default: ${DEFAULT-VALUE}).")
    Preprocessing.Invert invert;

    @Option(names = "--contrast", paramLabel = "X", defaultValue = "0.06",
            description = "The faintest ink read, as its contrast with the paper, 0-1 (default: ${DEFAULT-VALUE}); lower it for faint pencil.")
    float contrast;

    @Option(names = "--deskew", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Straighten slanted digits by their moments (default: on; --no-deskew turns it off).")
    boolean deskew;

    @Option(names = "--thin", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Thin strokes much thicker than MNIST's (default: on; --no-thin turns it off).")
    boolean thin;

    @Option(names = "--thicken", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Thicken strokes thinner than MNIST's (default: on; --no-thicken turns it off).")
    boolean thicken;

    @Option(names = "--split", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Cut digits that touch apart where the network reads the pieces best (default: on; --no-split cuts a piece too wide for one digit by width alone).")
    boolean split;

    @Option(names = "--save-preprocessed", paramLabel = "DIR", description = "Write each 28x28 image the network saw as DIR/<name>.28x28.png (DIR/<name>.digitN.28x28.png when the image holds several digits).")
    Path saveDir;

    @Option(names = "--steps", paramLabel = "DIR", description = "Write a picture of every step of the preprocessing of each image as DIR/<name>.steps.png.")
    Path stepsDir;

    @Option(names = "--show", description = "Draw each 28x28 image the network saw in the terminal, next to its probabilities (on stderr with --json).")
    boolean show;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        if (top < 1 || top > LeNet.CLASSES) throw new ParameterException(cl, "--top must be between 1 and " + LeNet.CLASSES + ", was " + top);
        if (!(contrast > 0 && contrast < 1)) throw new ParameterException(cl, "--contrast must be between 0 and 1 (exclusive), was " + contrast);
        threads.check(cl);
        for (Path dir : new Path[] {saveDir, stepsDir}) {
            if (dir == null) continue;
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new LenetException(dir + ": cannot create the folder (" + e.getMessage() + "); choose another");
            }
        }
        ImageFiles.Listing listing = ImageFiles.list(inputs);
        List<Path> files = listing.files();
        Models.Loaded model = models.load(cl.getErr(), GlobalOptions.isQuiet(cl));
        Predictor predictor = model.predictor(Defaults.dataDir(Datasets.MNIST), () -> {
            if (GlobalOptions.isQuiet(cl)) return;
            cl.getErr().println("note: learning what this model's digits look like, to tell when an image is unlike them"
                    + " (once for this checkpoint, a few seconds; kept in ~/.cache/lenet/familiar)");
            cl.getErr().flush();
        });
        Datasets.Classes classes = model.classes();
        String modelName = model.file().toString();
        // A garment is not a line of digits: a Fashion-MNIST model reads each image as one item.
        boolean oneItem = single || !classes.numeric();
        // Setting threads starts ND4J: only when it will run (a few images never start ND4J).
        if (!predictor.startsNothingNative(files.size())) threads.apply();

        PrintWriter out = cl.getOut();
        PrintWriter err = cl.getErr();
        boolean quiet = GlobalOptions.isQuiet(cl);
        if (!quiet) for (ImageFiles.Skipped s : listing.skipped()) err.println("skipped " + s.path() + ": " + s.why());
        Set<String> savedNames = new HashSet<>();
        int[] failed = {0};
        Page.Options options = new Page.Options(invert, contrast, deskew, thin, thicken, oneItem, split);
        Function<Path, Page.Trace> trace = stepsDir == null ? f -> Page.Trace.NONE : f -> new StepPictures();
        Map<Path, Page.Trace> traces = new java.util.concurrent.ConcurrentHashMap<>();
        Function<Path, Page.Trace> remembered = stepsDir == null ? trace : f -> traces.computeIfAbsent(f, trace);
        predictor.predictFiles(files, options, remembered, reading -> {
            if (stepsDir != null && traces.get(reading.file()) instanceof StepPictures steps && steps.any()) {
                ImageFiles.writePng(stepsDir.resolve(uniqueName(reading.file(), ".steps.png", savedNames)), steps.sheet(reading.file().getFileName().toString()));
                traces.remove(reading.file());
            }
            if (!reading.ok()) {
                failed[0]++;
                if (json) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("file", reading.file().toString());
                    m.put("error", reading.error());
                    out.println(toJson(m));
                } else {
                    err.println("lenet: " + reading.error());
                }
            } else {
                if (saveDir != null) save(reading, savedNames);
                if (show) {
                    for (Reading.DigitAnswer d : reading.digits()) (json ? err : out).print(TerminalPicture.render(d.found().pixels(), d.probabilities()));
                }
                out.println(json ? jsonLine(reading, classes, modelName) : textLine(reading, classes));
            }
            out.flush();
            err.flush();
        });
        if (saveDir != null && !savedNames.isEmpty() && !quiet) {
            long n = savedNames.stream().filter(s -> s.endsWith(".28x28.png")).count();
            if (n > 0) err.println("saved " + n + " preprocessed image" + (n == 1 ? "" : "s") + " in " + saveDir);
        }
        if (failed[0] > 0 && files.size() > 1) err.println(failed[0] + " of " + files.size() + " images could not be classified");
        err.flush();
        return failed[0] > 0 ? 1 : 0;
    }

    /**
     * One digit: {@code file  digit 7  99.2%   top 3: 7 99.2%, 9 0.5%, 1 0.1%}; several:
     * {@code file  digits 42   4 99.1%, 2 97.0%}; with {@code   unsure: reason} when unsure and a
     * note when the image was inverted or used as is.
     */
    private String textLine(Reading r, Datasets.Classes classes) {
        StringBuilder s = new StringBuilder();
        s.append(r.file());
        if (r.digits().size() == 1) {
            Reading.DigitAnswer a = r.digits().get(0);
            float[] p = a.probabilities();
            s.append("  ").append(classes.noun()).append(' ').append(classes.name(a.digit())).append("  ").append(percent(p[a.digit()]));
            s.append("   top ").append(top).append(": ");
            int[] best = a.top(top);
            for (int i = 0; i < best.length; i++) s.append(i == 0 ? "" : ", ").append(classes.name(best[i])).append(' ').append(percent(p[best[i]]));
        } else {
            s.append("  digits ").append(r.text()).append("   ");
            for (int i = 0; i < r.digits().size(); i++) {
                Reading.DigitAnswer a = r.digits().get(i);
                s.append(i == 0 ? "" : ", ").append(a.digit()).append(' ').append(percent(a.probabilities()[a.digit()]));
            }
        }
        String unsure = r.unsure();
        if (unsure != null) s.append("   unsure: ").append(unsure);
        if (r.page().asIs()) s.append("   (28x28 MNIST-like, used as is)");
        else if (r.page().inverted()) s.append("   (inverted)");
        return s.toString();
    }

    static String jsonLine(Reading r, Datasets.Classes classes, String model) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", r.file().toString());
        m.put("digits", r.text());
        if (r.digits().size() == 1) {
            m.put("digit", r.digits().get(0).digit());
            if (!classes.numeric()) m.put("class", classes.name(r.digits().get(0).digit()));
            m.put("probabilities", r.digits().get(0).probabilities());
        }
        String unsure = r.unsure();
        m.put("unsure", unsure != null);
        if (unsure != null) m.put("reason", unsure);
        List<Map<String, Object>> each = new java.util.ArrayList<>();
        for (Reading.DigitAnswer a : r.digits()) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("digit", a.digit());
            d.put("probability", a.probabilities()[a.digit()]);
            Page.Box b = a.found().box();
            d.put("box", Map.of("x", b.x(), "y", b.y(), "width", b.width(), "height", b.height()));
            d.put("probabilities", a.probabilities());
            d.put("unsure", a.unsure() != null);
            if (a.unsure() != null) d.put("reason", a.unsure());
            if (!a.found().note().isEmpty()) d.put("note", a.found().note());
            if (!Double.isNaN(a.distance())) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("distance", a.distance());
                f.put("limit", a.limit());
                d.put("familiarity", f);
            }
            each.add(d);
        }
        m.put("per_digit", each);
        m.put("as_is", r.page().asIs());
        m.put("inverted", r.page().inverted());
        if (!r.page().notes().isEmpty()) m.put("notes", r.page().notes());
        m.put("model", model);
        return toJson(m);
    }

    static String percent(float p) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * p);
    }

    /** DIR/&lt;name&gt;.28x28.png (&lt;name&gt;.digitN.28x28.png for several digits); a second input of the same name gets -2, -3, ... */
    private void save(Reading r, Set<String> used) {
        List<Reading.DigitAnswer> digits = r.digits();
        String stem = uniqueName(r.file(), digits.size() == 1 ? ".28x28.png" : ".digit1.28x28.png", used);
        stem = stem.substring(0, stem.indexOf(digits.size() == 1 ? ".28x28.png" : ".digit1.28x28.png"));
        for (int i = 0; i < digits.size(); i++) {
            String name = stem + (digits.size() == 1 ? "" : ".digit" + (i + 1)) + ".28x28.png";
            used.add(name);
            ImageFiles.writeGreyPng(saveDir.resolve(name), digits.get(i).found().pixels(), Preprocessing.SIDE, Preprocessing.SIDE);
        }
    }

    /** &lt;name without extension&gt; + suffix, with -2, -3, ... after the name when taken; the name is marked taken. */
    private static String uniqueName(Path file, String suffix, Set<String> used) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String candidate = stem + suffix;
        for (int i = 2; used.contains(candidate); i++) candidate = stem + "-" + i + suffix;
        used.add(candidate);
        return candidate;
    }

    private static String toJson(Map<String, Object> m) {
        return Json.line(m);
    }
}
