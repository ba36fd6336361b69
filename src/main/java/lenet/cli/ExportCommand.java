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
import lenet.export.OnnxExport;
import lenet.app.Models;
import lenet.model.Pixels;
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
    ModelOptions models;

    @Option(names = "--format", defaultValue = "onnx", description = "The file format; onnx, the only one (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--out", paramLabel = "FILE.onnx", required = true, description = "The file to write (replaced if it exists; its folder must exist).")
    Path out;

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        if (!format.equalsIgnoreCase("onnx")) throw new ParameterException(cl, "--format must be onnx, was '" + format + "'");
        Models.Loaded model = models.load(cl.getErr(), GlobalOptions.isQuiet(cl));
        OnnxExport.write(out, model.spec(), model.state(), metadata(model));
        PrintWriter o = cl.getOut();
        o.printf(Locale.ROOT, "wrote %s: %s from %s, opset %d, %,d parameters, %,d bytes%n", out, model.spec().title(), model.file(),
                OnnxExport.OPSET, model.spec().parameterCount(), Files.size(out));
        o.flush();
        return 0;
    }

    /**
     * What is known about the model's training, as the file's metadata: meta.json's fields (nested
     * ones as {@code config.lr}), except those about the checkpoint file itself (format, optimizer
     * state, progress inside an epoch).
     */
    static Map<String, String> metadata(Models.Loaded model) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("source", model.file().getFileName().toString());
        metadata.put(OnnxExport.INPUT_NORMALIZATION, Pixels.NORMALIZATION);
        if (model.contents().meta() != null) {
            flatten("", model.contents().meta(), metadata);
            metadata.keySet().removeIf(k -> k.startsWith("format") || k.startsWith("optimizer.") || k.startsWith("epoch_progress.") || k.startsWith("checksum"));
        }
        metadata.put("network", model.spec().title()); // what was exported, also when --activation/--pool overrode meta.json
        return metadata;
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
