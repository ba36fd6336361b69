package lenet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** lenet --version: the tool, Java, ND4J, the native build and CPU features in use and why that build, and the kernels. */
class VersionTest {
    @Test
    void versionNamesTheBackendTheNativeBuildAndTheCpuFeatures() {
        Cli r = Cli.run("--version");
        assertEquals(0, r.exitCode(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(6, lines.length, r.out());
        assertTrue(lines[0].startsWith("lenet "), r.out());
        assertTrue(lines[1].startsWith("Java 17"), r.out());
        assertEquals("ND4J 1.0.0-M2.1", lines[2], r.out());
        assertTrue(lines[3].startsWith("backend CPU, native build linux-x86_64"), r.out());
        assertTrue(lines[3].matches(".*: (AVX2|AVX-512|generic x86-64) code, this CPU has (AVX2|AVX-512|generic x86-64).*threads"), r.out());
        assertTrue(lines[4].matches("native build chosen from onednn, onednn-avx2, onednn-avx512: (picked for this CPU|picked by LENET_NATIVE_BUILD=\\w+) \\(.*\\); cache /.*"), r.out());
        // surefire adds the vector module, so the ND4J engine's own kernels are in use
        assertTrue(lines[5].startsWith("engines: training on nd4j: ND4J's native kernels in float32; the sigmoid and conv1's weight gradient on the JDK vector API"), r.out());
        assertTrue(lines[5].endsWith("up to 1000 images scored, and every trace, on reference: plain Java loops in double precision, one thread"), r.out());
    }
}
