package lenet.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Where the vector kernels stay off and the layers run on ND4J: a JVM without the vector module, and
 * a CPU whose vectors hold 4 floats (here HotSpot told to use no AVX, as on a pre-2011 x86 CPU).
 */
class SimdFallbackTest {
    /** Prints whether the vector kernels run in this JVM, and why. */
    public static void main(String[] args) {
        System.out.println(Simd.AVAILABLE + " " + Simd.describe());
    }

    @Test
    void withoutTheVectorModuleEverythingRunsOnNd4j() throws Exception {
        assertEquals("false all on ND4J (Java was started without --add-modules jdk.incubator.vector)", childJvm());
    }

    @Test
    void vectorsOfFourFloatsAreTooNarrow() throws Exception {
        assumeTrue(System.getProperty("os.arch").equals("amd64"), "HotSpot's -XX:UseAVX is an x86 flag");
        assertEquals("false all on ND4J (the JDK vector API has 4 float lanes on this CPU; lenet's vector kernels need 8 unless -Dlenet.simd=true)",
                childJvm("--add-modules", "jdk.incubator.vector", "-XX:UseAVX=0"));
        assertTrue(childJvm("--add-modules", "jdk.incubator.vector", "-XX:UseAVX=0", "-Dlenet.simd=true")
                .startsWith("true the sigmoid and conv1's weight gradient on the JDK vector API (4 floats at a time)"));
    }

    @Test
    void vectorsOfEightFloatsAreUsed() throws Exception {
        assumeTrue(System.getProperty("os.arch").equals("amd64"), "HotSpot's -XX:UseAVX is an x86 flag");
        String out = childJvm("--add-modules", "jdk.incubator.vector", "-XX:UseAVX=2");
        assertTrue(out.startsWith("true the sigmoid and conv1's weight gradient on the JDK vector API (8 floats at a time)"), out);
    }

    private static String childJvm(String... flags) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of(flags));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), SimdFallbackTest.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String printed = new String(p.getInputStream().readAllBytes()).trim();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM finishes");
        assertEquals(0, p.exitValue(), printed);
        return printed;
    }
}
