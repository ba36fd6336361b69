package lenet.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import lenet.data.Dataset;
import lenet.data.Datasets;
import lenet.app.Models;
import lenet.io.Json;
import lenet.report.Report;
import lenet.train.RunFolder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code lenet report}: pictures and one HTML page about a checkpoint, from a pass over the test set. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Write pictures of a checkpoint at work on the test set, and report.html that shows them with the numbers "
                    + "(the page needs no network: open it from disk). Into --out DIR:",
            "  confusion.png     the confusion matrix as a heat map with counts",
            "  per-class.png     precision, recall and F1 of each digit (also in the page)",
            "  mistakes.png      the most confidently wrong images, true and predicted digit",
            "  filters.png       conv1's six 5x5 kernels, enlarged",
            "  feature-maps.png  one image after each convolution and pooling",
            "  curves.png        the learning curves, when metrics.csv is beside the model",
            "  metrics.json      accuracy, loss, count, confusion, per-class metrics",
            "  report.html       all of the above",
            "The data set is the one the model was trained on unless --dataset or --data says otherwise."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  ${COMMAND-FULL-NAME}                                          the newest finished run",
            "  ${COMMAND-FULL-NAME} --model runs/X/epoch-04.npz --image-index 7",
            "  ${COMMAND-FULL-NAME} --out look/ --mistakes 48"},
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {ExitCodes.OK, ExitCodes.FAILED, ExitCodes.USAGE})
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions models;

    @Option(names = "--out", paramLabel = "DIR", description = "Folder for the report (default: report/ beside the model); files in it are replaced.")
    Path out;

    @Option(names = "--dataset", paramLabel = "DATASET", converter = Choices.DatasetConverter.class, completionCandidates = Choices.DatasetNames.class,
            description = "${COMPLETION-CANDIDATES} (default: the one the model was trained on, else mnist).")
    String dataset;

    @Option(names = "--data", paramLabel = "DIR", description = "Folder with the IDX files (default: data/<dataset>); the test split is used.")
    Path dataDir;

    @Option(names = "--image-index", paramLabel = "N", defaultValue = "0", description = "The test image whose feature maps are drawn (default: ${DEFAULT-VALUE}).")
    int imageIndex;

    @Option(names = "--mistakes", paramLabel = "N", defaultValue = "24", description = "How many of the most confident mistakes to show, 0-96 (default: ${DEFAULT-VALUE}).")
    int mistakes;

    @Mixin
    ThreadsOption threads;

    @Option(names = "--json", description = "Print one JSON object: report, files, accuracy, loss, count.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        if (mistakes < 0 || mistakes > 96) throw new ParameterException(cl, "--mistakes must be between 0 and 96, was " + mistakes);
        threads.check(cl);
        Models.Loaded model = models.load(cl.getErr(), GlobalOptions.isQuiet(cl));
        threads.apply();
        Path modelFile = model.file();
        String name = ModelOptions.dataset(dataset, model, cl.getErr());
        Path dir = dataDir != null ? dataDir : Defaults.dataDir(name);
        Dataset test = Dataset.loadSplit(dir, "test");
        if (imageIndex < 0 || imageIndex >= test.count()) {
            throw new ParameterException(cl, "--image-index must be between 0 and " + (test.count() - 1) + ", was " + imageIndex);
        }
        Path folder = modelFile.getParent() == null ? Path.of("") : modelFile.getParent();
        Path outDir = out != null ? out : folder.resolve("report");

        PrintWriter err = cl.getErr();
        boolean quiet = GlobalOptions.isQuiet(cl);
        Consumer<String> progress = line -> {
            if (quiet) return;
            err.println(line);
            err.flush();
        };
        Report.Result r = Report.write(new Report.Input(modelFile, model.spec(), model.state(), model.contents().meta(), test, dir + " (test)", Datasets.classes(name), imageIndex, mistakes,
                folder.resolve(RunFolder.METRICS)), outDir, progress);
        if (r.curvesNote() != null) progress.accept("no learning curves: " + r.curvesNote());

        PrintWriter o = cl.getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("report", r.html().toString());
            m.put("files", r.files().stream().map(Path::toString).toList());
            m.put("accuracy", r.evaluation().accuracy());
            m.put("loss", r.evaluation().loss());
            m.put("count", r.evaluation().count());
            o.println(Json.line(m));
        } else {
            o.printf(Locale.ROOT, "accuracy %.2f%% (%d of %d), loss %.4f%n", 100 * r.evaluation().accuracy(), r.evaluation().correct(),
                    r.evaluation().count(), r.evaluation().loss());
            o.println("report " + r.html());
        }
        o.flush();
        return 0;
    }
}
