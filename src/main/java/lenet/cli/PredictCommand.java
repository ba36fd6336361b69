package lenet.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import lenet.LenetException;
import lenet.data.Datasets;
import lenet.image.ImageFiles;
import lenet.image.Preprocessing;
import lenet.nn.LeNet;
import lenet.train.Checkpoint;
import lenet.train.Predictor;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code lenet predict}: the digit in each image, with its probabilities. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Classify images of single digits: each gets its digit and the ten probabilities.",
            "Photos, scans and drawings (dark ink on light paper, colour, transparency, any size) are preprocessed "
                    + "as MNIST was made: inverted, cleaned, cropped, scaled to 20x20, centred by mass in 28x28. "
                    + "28x28 grey images with a dark background are used as they are.",
            "A file that cannot be read is reported and the others still get answers; the exit status is then 1.",
            "A Fashion-MNIST model answers with its class names."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  ${COMMAND-FULL-NAME} data/samples                     every image in the folder",
            "  ${COMMAND-FULL-NAME} --model runs/X/last.npz my-7.jpg --top 5",
            "  ${COMMAND-FULL-NAME} --show photo.png                 what the network saw, beside the probabilities",
            "  ${COMMAND-FULL-NAME} --json --save-preprocessed seen/ scans/"},
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {ExitCodes.OK, ExitCodes.SOME_FAILED, ExitCodes.USAGE})
final class PredictCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image files (PNG, JPEG, GIF, BMP) or folders of them (their images, sorted by name, not sub-folders).")
    List<Path> inputs;

    @Mixin
    ModelOptions models;

    @Option(names = "--top", paramLabel = "K", defaultValue = "3", description = "How many of the most probable digits each line lists, 1-10 (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--json", description = "One JSON object per image per line: {\"file\", \"digit\", \"probabilities\": [10 numbers], \"model\"} or {\"file\", \"error\"}.")
    boolean json;

    @Option(names = "--invert", paramLabel = "WHEN", defaultValue = "auto", converter = Choices.InvertConverter.class,
            completionCandidates = Choices.InvertModes.class,
            description = "Turn dark-on-light images into MNIST's light-on-dark: ${COMPLETION-CANDIDATES}; auto inverts when the border is light (default: ${DEFAULT-VALUE}).")
    Preprocessing.Invert invert;

    @Option(names = "--save-preprocessed", paramLabel = "DIR", description = "Write the 28x28 image the network saw for each input as DIR/<name>.28x28.png.")
    Path saveDir;

    @Option(names = "--show", description = "Draw the 28x28 image the network saw in the terminal, next to the probabilities (on stderr with --json).")
    boolean show;

    @Option(names = "--threads", paramLabel = "N", description = "Threads for ND4J's native kernels, which classify more than " + Predictor.PLAIN_JAVA_UP_TO
            + " images; fewer are classified in plain Java on one thread, and then this sets nothing.")
    Integer threads;

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        if (top < 1 || top > LeNet.CLASSES) throw new ParameterException(cl, "--top must be between 1 and " + LeNet.CLASSES + ", was " + top);
        Threads.check(threads, cl);
        if (saveDir != null) {
            try {
                Files.createDirectories(saveDir);
            } catch (IOException e) {
                throw new LenetException(saveDir + ": cannot create the folder for --save-preprocessed (" + e.getMessage() + "); choose another");
            }
        }
        List<Path> files = ImageFiles.expand(inputs);
        ModelOptions.Loaded model = models.load(cl.getErr(), GlobalOptions.isQuiet(cl));
        Predictor predictor = models.predictor(model.contents());
        Datasets.Classes classes = Datasets.classes(model.dataset());
        String modelName = model.file().toString();
        // Setting threads starts ND4J: only when it will run (a few images never start it).
        if (!predictor.usesPlainJava(files.size())) Threads.apply(threads, cl);

        PrintWriter out = cl.getOut();
        PrintWriter err = cl.getErr();
        Set<String> savedNames = new HashSet<>();
        int[] failed = {0};
        predictor.predictFiles(files, invert, answer -> {
            if (!answer.ok()) {
                failed[0]++;
                if (json) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("file", answer.file().toString());
                    m.put("error", answer.error());
                    out.println(toJson(m));
                } else {
                    err.println("lenet: " + answer.error());
                }
            } else {
                if (saveDir != null) save(answer, savedNames);
                if (show) (json ? err : out).print(TerminalPicture.render(answer.image().pixels(), answer.probabilities()));
                out.println(json ? jsonLine(answer, classes, modelName) : textLine(answer, classes));
            }
            out.flush();
            err.flush();
        });
        if (saveDir != null && !savedNames.isEmpty() && !GlobalOptions.isQuiet(cl)) {
            err.println("saved " + savedNames.size() + " preprocessed image" + (savedNames.size() == 1 ? "" : "s") + " in " + saveDir);
        }
        if (failed[0] > 0 && files.size() > 1) err.println(failed[0] + " of " + files.size() + " images could not be classified");
        err.flush();
        return failed[0] > 0 ? 1 : 0;
    }

    /** {@code file  digit 7  99.2%   top 3: 7 99.2%, 9 0.5%, 1 0.1%}, with a note when the image was inverted or used as is. */
    private String textLine(Predictor.Answer a, Datasets.Classes classes) {
        float[] p = a.probabilities();
        StringBuilder s = new StringBuilder();
        s.append(a.file()).append("  ").append(classes.noun()).append(' ').append(classes.name(a.digit())).append("  ").append(percent(p[a.digit()]));
        s.append("   top ").append(top).append(": ");
        int[] best = a.top(top);
        for (int i = 0; i < best.length; i++) s.append(i == 0 ? "" : ", ").append(classes.name(best[i])).append(' ').append(percent(p[best[i]]));
        if (a.image().asIs()) s.append("   (28x28 MNIST-like, used as is)");
        else if (a.image().inverted()) s.append("   (inverted)");
        return s.toString();
    }

    private static String jsonLine(Predictor.Answer a, Datasets.Classes classes, String model) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", a.file().toString());
        m.put("digit", a.digit());
        if (!classes.numeric()) m.put("class", classes.name(a.digit()));
        m.put("probabilities", a.probabilities());
        m.put("model", model);
        return toJson(m);
    }

    static String percent(float p) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * p);
    }

    /** DIR/&lt;name without extension&gt;.28x28.png; a second input of the same name gets -2, -3, ... */
    private void save(Predictor.Answer a, Set<String> used) {
        String name = a.file().getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String candidate = stem + ".28x28.png";
        for (int i = 2; used.contains(candidate); i++) candidate = stem + "-" + i + ".28x28.png";
        used.add(candidate);
        ImageFiles.writeGreyPng(saveDir.resolve(candidate), a.image().pixels(), Preprocessing.SIDE, Preprocessing.SIDE);
    }

    private static String toJson(Map<String, Object> m) {
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
