package lenet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lenet completion: picocli's bash/zsh script for lenet, its commands and their options. */
class CompletionTest {
    @TempDir
    Path tmp;

    @Test
    void theScriptNamesLenetEveryCommandAndTheirOptions() {
        Cli r = Cli.run("completion");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("complete -F _complete_lenet") && r.out().contains("lenet"), "binds completion to lenet");
        for (String cmd : new String[] {"train", "eval", "predict", "report", "summary", "bench", "help", "completion"}) {
            assertTrue(r.out().contains(cmd), cmd);
        }
        for (String option : new String[] {"--image-index", "--stop-after", "--quiet", "--verbose"}) assertTrue(r.out().contains(option), option);
    }

    @Test
    void bashCompletesACommandAndAnOption() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash");
        Path script = tmp.resolve("lenet_completion");
        Files.writeString(script, Cli.run("completion").out());
        String probe = "source '" + script + "'\n"
                + "COMP_WORDS=(lenet rep); COMP_CWORD=1; _complete_lenet 2>/dev/null; echo \"${COMPREPLY[*]}\"\n"
                + "COMP_WORDS=(lenet report --image-); COMP_CWORD=2; _complete_lenet 2>/dev/null; echo \"${COMPREPLY[*]}\"\n";
        Process p = new ProcessBuilder("/bin/bash", "-c", probe).redirectErrorStream(true).start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        String[] lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip().split("\n");
        assertEquals("report", lines[0].strip());
        assertEquals("--image-index", lines[1].strip());
    }
}
