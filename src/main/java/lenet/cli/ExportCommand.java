package lenet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import lenet.LenetException;
import lenet.export.OnnxExport;
import lenet.model.Activation;
import lenet.model.Architecture;
import lenet.model.ModelSpec;
import lenet.model.ModelState;
import lenet.model.Norm;
import lenet.model.Pooling;
import lenet.train.Checkpoint;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code lenet export}: a checkpoint as an ONNX file for ONNX Runtime, OpenCV's dnn module or Netron. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Write a checkpoint as an ONNX model (opset " + OnnxExport.OPSET + ") that ONNX Runtime, OpenCV's dnn module and "
                    + "Netron read: input 'image' float [N,1,28,28] (pixel / 255), outputs 'logits' and 'probabilities' [N,10]; "
                    + "every weight under its PyTorch name, every intermediate tensor with its shape, the training settings "
                    + "and metrics as metadata."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  lenet export --out lenet.onnx",
            "      the newest runs/*/last.npz, as lenet.onnx",
            "  lenet export --model runs/X/epoch-07.npz --out epoch-07.onnx",
            "  lenet export --model state_dict.npz --activation relu --pool max --out m.onnx",
            "      a numpy.savez file of PyTorch weights, which does not say its architecture",
            "Then, in Python with onnxruntime (x: float32 [N,1,28,28], pixel / 255):",
            "  logits, p = onnxruntime.InferenceSession(\"lenet.onnx\").run(None, {\"image\": x})"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the file was written",
            "1:bad or unreadable checkpoint, or the file cannot be written (one line says which and how to fix it)",
            "2:usage error: unknown option or invalid value"})
final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Mixin
    ModelOptions models;

    @Option(names = "--format", defaultValue = "onnx", description = "The file format; onnx, the only one (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--out", paramLabel = "FILE.onnx", required = true, description = "The file to write (replaced if it exists; its folder must exist).")
    Path out;

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        if (!format.equalsIgnoreCase("onnx")) throw new ParameterException(cl, "--format must be onnx, was '" + format + "'");
        ModelOptions.Loaded chosen = models.load(cl.getErr(), GlobalOptions.isQuiet(cl));
        Path modelFile = chosen.file();
        Loaded model = load(modelFile, chosen.contents());
        OnnxExport.write(out, model.spec(), model.state(), model.metadata());
        PrintWriter o = cl.getOut();
        o.printf(Locale.ROOT, "wrote %s: %s from %s, opset %d, %,d parameters, %,d bytes%n", out, model.spec().title(), modelFile,
                OnnxExport.OPSET, model.spec().parameterCount(), Files.size(out));
        o.flush();
        return 0;
    }

    /** A model to export: its layers, its numbers, and what is known about its training. */
    record Loaded(ModelSpec spec, ModelState state, Map<String, String> metadata) {}

    /**
     * Reads {@code file} as the other commands do: the ten arrays and meta.json of a checkpoint, the
     * architecture from meta.json (or --activation/--pool), no batch norm; meta.json's fields become
     * the metadata, nested ones as {@code config.lr}, except those about the checkpoint file itself
     * (format, optimizer state, progress inside an epoch).
     */
    Loaded load(Path file, Checkpoint.Contents saved) {
        Activation activation = Activation.parse((models.activation != null ? models.activation : saved.activation()).cliName());
        Pooling pooling = Pooling.parse((models.pooling != null ? models.pooling : saved.pooling()).cliName());
        ModelSpec spec = Architecture.lenet(activation, pooling, Norm.NONE).spec();
        ModelState state;
        try {
            state = ModelState.of(spec, saved.weights());
        } catch (IllegalArgumentException e) {
            throw new LenetException(file + ": " + e.getMessage(), e);
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("source", file.getFileName().toString());
        metadata.put(OnnxExport.INPUT_NORMALIZATION, Checkpoint.INPUT_NORMALIZATION);
        if (saved.meta() != null) {
            flatten("", saved.meta(), metadata);
            // How the checkpoint file is kept and resumed, not what the model is.
            metadata.keySet().removeIf(k -> k.startsWith("format") || k.startsWith("optimizer.") || k.startsWith("epoch_progress."));
        }
        metadata.put("network", spec.title()); // what was exported, also when --activation/--pool overrode meta.json
        return new Loaded(spec, state, metadata);
    }

    /** {@code {"a": {"b": 1}, "c": [1, 2]}} as {@code a.b = 1}, {@code c = [1,2]}. */
    private static void flatten(String prefix, JsonNode node, Map<String, String> into) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix + e.getKey();
            if (e.getValue().isObject()) flatten(key + ".", e.getValue(), into);
            else into.put(key, e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
        }
    }
}
