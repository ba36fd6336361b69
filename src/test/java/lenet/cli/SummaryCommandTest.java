package lenet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import lenet.train.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lenet summary}: the layer table a learner wants. */
class SummaryCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void theDefaultNetworkHasLeNetsShapesAnd61706Parameters() {
        Cli r = Cli.run("summary");
        assertEquals(0, r.exitCode(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertTrue(lines[0].contains("sigmoid") && lines[0].contains("avg"), lines[0]);
        assertEquals("Conv2d(1->6, 5x5, pad 2)     6x28x28             156   6x1x5x5 + 6", lines[3]);
        assertEquals("Linear(400->120)             120              48,120   120x400 + 120", lines[10]);
        assertEquals("total                                         61,706", lines[lines.length - 1]);
    }

    @Test
    void jsonGivesTheShapesFromAForwardPassAndTheTotal() throws Exception {
        Cli r = Cli.run("summary", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode s = JSON.readTree(r.out());
        assertEquals(61706, s.get("total_parameters").asInt());
        // the shapes after the input, each conv, each pool, flatten and each dense layer
        List<String> shapes = new ArrayList<>();
        for (JsonNode layer : s.get("layers")) {
            String name = layer.get("layer").asText();
            if (name.equals("Sigmoid")) continue;
            shapes.add(layer.get("output_shape").toString());
        }
        assertEquals(List.of("[1,28,28]", "[6,28,28]", "[6,14,14]", "[16,10,10]", "[16,5,5]", "[400]", "[120]", "[84]", "[10]"), shapes);
    }

    @Test
    void aCheckpointIsDescribedWithItsOwnArchitecture() throws Exception {
        Path model = tmp.resolve("relu.npz");
        var meta = JSON.createObjectNode();
        meta.putObject("architecture").put("activation", "relu").put("pooling", "max");
        lenet.TestModels.save(model, lenet.model.Activation.RELU, lenet.model.Pooling.MAX, 1, meta);
        Cli r = Cli.run("summary", "--model", model.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("ReLU") && r.out().contains("MaxPool2d(2x2, stride 2)"), r.out());
        assertTrue(r.out().contains(model.toString()), r.out());
        assertTrue(r.out().strip().endsWith("61,706"), r.out());
    }

    @Test
    void aMissingModelIsOneLineAndExitOne() {
        Cli r = Cli.run("summary", "--model", tmp.resolve("nope.npz").toString());
        assertEquals(1, r.exitCode());
        assertEquals(1, r.errLines().length, r.err());
    }
}
