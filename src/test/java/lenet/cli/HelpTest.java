package lenet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import lenet.model.Activation;
import lenet.model.Pooling;
import lenet.train.Recipe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Help a person can use without the README: defaults, words for placeholders, examples and exit codes. */
class HelpTest {
    @ParameterizedTest
    @ValueSource(strings = {"train", "eval", "predict", "report", "runs", "serve", "summary", "export", "bench"})
    void everyCommandsHelpEndsWithExamplesAndExitCodesAndUsesWordsForPlaceholders(String command) {
        Cli r = Cli.run(command, "--help");
        assertEquals(0, r.exitCode(), r.err());
        String help = r.out();
        assertTrue(help.contains("Examples:") && help.contains("Exit codes:"), help);
        assertTrue(help.indexOf("Examples:") > help.indexOf("Usage:"), help);
        assertFalse(help.matches("(?s).*<[a-z]+[A-Z][A-Za-z]*>.*"), "no Java field names as placeholders: " + help);
        assertFalse(help.matches("(?s).*\\b(SIGMOID|RELU|AVG|MAX|AUTO|ONE_CYCLE|DEFAULT|D2L)\\b.*"), "choices in lower case: " + help);
    }

    @Test
    void predictsHelpDoesNotTalkOfTraining() {
        String help = Cli.run("predict", "--help").out();
        assertFalse(help.toLowerCase().contains("epoch"), help);
    }

    @Test
    void trainsHelpShowsEachDefaultUnderEachRecipe() {
        String help = Cli.run("train", "--help").out().replaceAll("\\s+", " ");
        for (Recipe r : Recipe.values()) {
            String name = r == Recipe.DEFAULT ? "default recipe" : r.cliName();
            for (String[] flag : new String[][] {
                {"--epochs", Integer.toString(r.epochs)},
                {"--batch-size", Integer.toString(r.batchSize)},
                {"--lr", num(r.lr(Activation.SIGMOID, Pooling.AVG))},
                {"--lr", num(r.lr(Activation.RELU, Pooling.MAX))},
                {"--schedule", r.schedule.cliName()},
                {"--momentum", num(r.momentum)},
                {"--weight-decay", num(r.weightDecay)},
                {"--shift", Integer.toString(r.maxShift)},
                {"--shift-from", Integer.toString(r.shiftFrom)},
                {"--distort", r.distortion.cliName()},
                {"--init-gain", num(r.initGain(Activation.SIGMOID))},
            }) {
                String entry = help.substring(help.lastIndexOf(flag[0] + "="));
                entry = entry.substring(0, entry.indexOf(" --", 3));
                assertTrue(entry.matches(".*\\b" + java.util.regex.Pattern.quote(flag[1]) + "[^()]*\\(" + name + "[);].*"),
                        flag[0] + " should show " + flag[1] + " (" + name + "): " + entry);
            }
        }
    }

    @Test
    void datasetAndArchitectureFlagsComplete() {
        String script = Cli.run("completion").out();
        assertTrue(script.contains("(\"mnist\" \"fashion-mnist\")"), "--dataset completes");
        assertTrue(script.contains("ACTIVATION_option_args=(\"sigmoid\" \"relu\")") && script.contains("POOL_option_args=(\"avg\" \"max\")"),
                "--activation and --pool complete in lower case, each with its own list");
    }

    @Test
    void anUnknownChoiceListsTheKnownOnesInLowerCase() {
        Cli r = Cli.run("train", "--activation", "tanh");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("expected sigmoid or relu, was 'tanh'"), r.err());
    }

    @Test
    void messagesSpellTheCommandTheWayTheUserStartedIt(@TempDir Path tmp) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(new File(System.getProperty("java.home"), "bin/java").getPath(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "eval"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true);
        pb.environment().put("LENET_COMMAND", "scripts/lenet");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, p.waitFor(), out);
        assertTrue(out.contains("run `scripts/lenet train` first"), out);
    }

    private static String num(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
