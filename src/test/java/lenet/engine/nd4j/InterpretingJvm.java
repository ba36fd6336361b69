package lenet.engine.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a test class's {@code main} in another JVM with the vector module and the given options
 * ({@code -Xint}: one that only interprets) and returns what it printed: for checking that a kernel
 * gives the same bits before the JIT compiles it as after, or that a result holds with a property set.
 */
final class InterpretingJvm {
    private InterpretingJvm() {}

    /** What {@code mainClass} printed in a JVM that only interprets. */
    static String output(Class<?> mainClass) throws Exception {
        return output(mainClass, "-Xint");
    }

    static String output(Class<?> mainClass, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(options));
        command.addAll(List.of("--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String printed = new String(p.getInputStream().readAllBytes()).trim();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the other JVM finishes");
        assertEquals(0, p.exitValue(), "the other JVM's exit status; it printed: " + printed);
        return printed;
    }
}
