package lenet.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs a test class's {@code main} in a JVM that only interprets ({@code -Xint}), with the vector
 * module, and returns what it printed: for checking that a kernel gives the same bits before the
 * JIT compiles it as after.
 */
public final class InterpretingJvm {
    private InterpretingJvm() {}

    public static String output(Class<?> mainClass) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xint", "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                mainClass.getName()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String printed = new String(p.getInputStream().readAllBytes()).trim();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the interpreting JVM finishes");
        assertEquals(0, p.exitValue());
        return printed;
    }
}
