package lenet.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import lenet.app.Models;
import lenet.io.Json;
import lenet.model.Activation;
import lenet.model.Architecture;
import lenet.model.ModelSpec;
import lenet.model.Norm;
import lenet.model.Pooling;
import lenet.model.TensorSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lenet summary}: each layer, its output shape for one 28x28 image, its parameter count. */
@Command(name = "summary", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Show the network layer by layer: the output shape for one 1x28x28 image and the parameters of each layer, with the total.",
            "The shapes come from the model's spec, layer by layer (floor((n + 2p - k) / s) + 1 for each conv and pooling)."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  ${COMMAND-FULL-NAME}                              the default network, untrained",
            "  ${COMMAND-FULL-NAME} --activation relu --pool max --norm batch",
            "  ${COMMAND-FULL-NAME} --model runs/X/last.npz --json"},
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {ExitCodes.OK, ExitCodes.FAILED, ExitCodes.USAGE})
final class SummaryCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", description = "Describe this checkpoint's network (default: the default architecture, untrained).")
    Path model;

    @Option(names = "--activation", paramLabel = "ACTIVATION", converter = Choices.ActivationConverter.class, completionCandidates = Choices.Activations.class,
            description = "${COMPLETION-CANDIDATES} (default: sigmoid); for --model, overrides its meta.json.")
    Activation activation;

    @Option(names = "--pool", paramLabel = "POOL", converter = Choices.PoolingConverter.class, completionCandidates = Choices.Poolings.class,
            description = "${COMPLETION-CANDIDATES} (default: avg); for --model, overrides its meta.json.")
    Pooling pooling;

    @Option(names = "--norm", paramLabel = "NORM", converter = Choices.NormConverter.class, completionCandidates = Choices.Norms.class,
            description = "${COMPLETION-CANDIDATES} (default: none); without --model.")
    Norm norm;

    @Option(names = "--json", description = "Print one JSON object: layers (layer, output_shape, parameters, arrays) and total_parameters.")
    boolean json;

    /** One line of the table. */
    record Row(String layer, int[] outputShape, long parameters, List<long[]> arrays) {}

    @Override
    public Integer call() throws Exception {
        ModelSpec net;
        if (model == null) {
            net = Architecture.lenet(activation != null ? activation : Activation.SIGMOID, pooling != null ? pooling : Pooling.AVG,
                    norm != null ? norm : Norm.NONE).spec();
        } else {
            Models.Loaded loaded = Models.load(model, activation, pooling, Defaults.runs());
            if (!GlobalOptions.isQuiet(spec.commandLine())) {
                spec.commandLine().getErr().println("model " + loaded.describe());
                spec.commandLine().getErr().flush();
            }
            net = loaded.spec();
        }
        List<Row> rows = rows(net);
        long total = rows.stream().mapToLong(Row::parameters).sum();
        PrintWriter out = spec.commandLine().getOut();
        Architecture a = net.architecture();
        String title = String.format(Locale.ROOT, "%s: %s activation, %s pooling%s; %s", a.name(), a.activation().cliName(), a.pooling().cliName(),
                a.norm() == Norm.BATCH ? ", batch norm" : "", model == null ? "default architecture (untrained)" : model.toString());
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", model == null ? null : model.toString());
            m.put("activation", a.activation().cliName());
            m.put("pooling", a.pooling().cliName());
            m.put("norm", a.norm().cliName());
            List<Map<String, Object>> layers = new ArrayList<>();
            for (Row r : rows) {
                Map<String, Object> l = new LinkedHashMap<>();
                l.put("layer", r.layer());
                l.put("output_shape", r.outputShape());
                l.put("parameters", r.parameters());
                l.put("arrays", r.arrays());
                layers.add(l);
            }
            m.put("layers", layers);
            m.put("total_parameters", total);
            out.println(Json.line(m));
        } else {
            out.println(title);
            out.printf(Locale.ROOT, "%-28s %-10s %12s   %s%n", "layer", "output", "parameters", "arrays (weight + bias)");
            for (Row r : rows) {
                String arrays = r.arrays().stream().map(SummaryCommand::shape).collect(Collectors.joining(" + "));
                out.println(String.format(Locale.ROOT, "%-28s %-10s %,12d   %s", r.layer(), shape(r.outputShape()), r.parameters(), arrays).stripTrailing());
            }
            out.printf(Locale.ROOT, "%-28s %-10s %,12d%n", "total", "", total);
        }
        out.flush();
        return 0;
    }

    /** The input, then every layer of the spec: the shape of its output for one sample and its parameter count. */
    static List<Row> rows(ModelSpec net) {
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("input", net.inputShape(), 0, List.of()));
        for (ModelSpec.Stage s : net.stages()) {
            long count = 0;
            List<long[]> arrays = new ArrayList<>();
            for (TensorSpec t : s.layer().parameters()) {
                count += t.size();
                arrays.add(t.shape());
            }
            rows.add(new Row(s.layer().describe(), s.outputShape(), count, arrays));
        }
        return rows;
    }

    /** 6x28x28; an array shape as 6x1x5x5. */
    private static String shape(int[] s) {
        return Arrays.stream(s).mapToObj(Integer::toString).collect(Collectors.joining("x"));
    }

    private static String shape(long[] s) {
        return Arrays.stream(s).mapToObj(Long::toString).collect(Collectors.joining("x"));
    }
}
