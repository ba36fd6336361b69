package lenet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import lenet.nn.Layer;
import lenet.nn.LeNet;
import lenet.nn.Param;
import lenet.train.Checkpoint;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lenet summary}: each layer, its output shape for one 28x28 image, its parameter count. */
@Command(name = "summary", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Show the network layer by layer: the output shape for one 1x28x28 image and the parameters of each layer, with the total.",
            "The shapes come from running one blank image through the layers."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  ${COMMAND-FULL-NAME}                              the default network, untrained",
            "  ${COMMAND-FULL-NAME} --activation relu --pool max",
            "  ${COMMAND-FULL-NAME} --model runs/X/last.npz --json"},
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {ExitCodes.OK, ExitCodes.FAILED, ExitCodes.USAGE})
final class SummaryCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Option(names = "--model", paramLabel = "FILE", description = "Describe this checkpoint's network (default: the default architecture, untrained).")
    Path model;

    @Option(names = "--activation", paramLabel = "ACTIVATION", converter = Choices.ActivationConverter.class, completionCandidates = Choices.Activations.class,
            description = "${COMPLETION-CANDIDATES} (default: sigmoid); for --model, overrides its meta.json.")
    LeNet.Activation activation;

    @Option(names = "--pool", paramLabel = "POOL", converter = Choices.PoolingConverter.class, completionCandidates = Choices.Poolings.class,
            description = "${COMPLETION-CANDIDATES} (default: avg); for --model, overrides its meta.json.")
    LeNet.Pooling pooling;

    @Option(names = "--json", description = "Print one JSON object: layers (layer, output_shape, parameters, arrays) and total_parameters.")
    boolean json;

    /** One line of the table. */
    record Row(String layer, long[] outputShape, long parameters, List<long[]> arrays) {}

    @Override
    public Integer call() throws Exception {
        LeNet net = model == null
                ? LeNet.create(activation != null ? activation : LeNet.Activation.SIGMOID, pooling != null ? pooling : LeNet.Pooling.AVG, new Random(0))
                : loadAndSay(model).model(activation, pooling);
        List<Row> rows = rows(net);
        long total = rows.stream().mapToLong(Row::parameters).sum();
        PrintWriter out = spec.commandLine().getOut();
        String title = String.format(Locale.ROOT, "LeNet: %s activation, %s pooling; %s", net.activation().cliName(), net.pooling().cliName(),
                model == null ? "default architecture (untrained)" : model.toString());
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", model == null ? null : model.toString());
            m.put("activation", net.activation().cliName());
            m.put("pooling", net.pooling().cliName());
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
            out.println(new ObjectMapper().writeValueAsString(m));
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

    /** Reads --model and says on stderr which file it is and how it scored (unless --quiet). */
    private Checkpoint.Contents loadAndSay(Path file) {
        ModelOptions.Loaded loaded = new ModelOptions.Loaded(file, Checkpoint.load(file));
        if (!GlobalOptions.isQuiet(spec.commandLine())) {
            spec.commandLine().getErr().println("model " + loaded.describe());
            spec.commandLine().getErr().flush();
        }
        return loaded.contents();
    }

    /** The input, then every layer: the shape of its output for one blank 1x28x28 image and its parameter count. */
    static List<Row> rows(LeNet net) {
        List<Row> rows = new ArrayList<>();
        INDArray x = Nd4j.zeros(DataType.FLOAT, 1, 1, LeNet.IMAGE_SIZE, LeNet.IMAGE_SIZE);
        rows.add(new Row("input", withoutBatch(x), 0, List.of()));
        for (Layer layer : net.layers()) {
            x = layer.forward(x);
            long count = 0;
            List<long[]> arrays = new ArrayList<>();
            for (Param p : layer.params()) {
                count += p.value().length();
                arrays.add(p.value().shape());
            }
            rows.add(new Row(layer.describe(), withoutBatch(x), count, arrays));
        }
        return rows;
    }

    private static long[] withoutBatch(INDArray x) {
        return Arrays.copyOfRange(x.shape(), 1, x.rank());
    }

    /** 6x28x28; an array shape as [6,1,5,5]. */
    private static String shape(long[] s) {
        return Arrays.stream(s).mapToObj(Long::toString).collect(Collectors.joining("x"));
    }
}
