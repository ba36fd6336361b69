package lenet.engine.nd4j.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import lenet.engine.nd4j.platform.NativeBuild.Choice;
import lenet.engine.nd4j.platform.NativeBuild.Level;
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

/** Which native ND4J build a CPU gets, and the first start's "unpacking" line. */
class NativeBuildTest {
    /** linux-x86_64's three builds as NativeBuild lists them, best first. */
    private static final List<String> LINUX = List.of("-onednn-avx512", "-onednn-avx2", "-onednn");

    private static Set<String> flags(String line) {
        return new HashSet<>(Arrays.asList(line.split(" ")));
    }

    // Flag lines cut down from /proc/cpuinfo of real CPUs (the flags that matter here, and some that do not).
    private static final String ZEN4 = "fpu sse sse2 ssse3 sse4_1 sse4_2 avx f16c fma bmi1 avx2 bmi2 avx512f avx512dq avx512cd avx512bw avx512vl avx512_bf16";
    private static final String HASWELL = "fpu sse sse2 ssse3 sse4_1 sse4_2 avx f16c fma bmi1 avx2 bmi2";
    private static final String SANDY_BRIDGE = "fpu sse sse2 ssse3 sse4_1 sse4_2 avx";
    private static final String ATOM = "fpu sse sse2 ssse3 sse4_1 sse4_2";
    private static final String KNIGHTS_LANDING = "fpu sse sse2 avx f16c fma bmi1 avx2 bmi2 avx512f avx512cd avx512er avx512pf";

    @Test
    void levelIsTheMostEveryCompilerFlagOfThatBuildAllows() {
        assertEquals(Level.AVX512, NativeBuild.levelOf(flags(ZEN4)));
        assertEquals(Level.AVX2, NativeBuild.levelOf(flags(HASWELL)));
        assertEquals(Level.GENERIC, NativeBuild.levelOf(flags(SANDY_BRIDGE)), "AVX without AVX2");
        assertEquals(Level.GENERIC, NativeBuild.levelOf(flags(ATOM)));
        assertEquals(Level.AVX2, NativeBuild.levelOf(flags(KNIGHTS_LANDING)), "AVX-512F without BW, DQ and VL");
        assertEquals(Level.GENERIC, NativeBuild.levelOf(flags(HASWELL.replace(" fma", ""))), "AVX2 without FMA");
        assertEquals(Level.GENERIC, NativeBuild.levelOf(Set.of()), "flags unreadable");
    }

    @Test
    void cpuFlagsComeFromTheFirstFlagsLineOfProcCpuinfo() {
        List<String> cpuinfo = List.of("processor\t: 0", "model name\t: AMD EPYC", "flags\t\t: fpu avx avx2 fma f16c", "bugs\t\t: sysret_ss_attrs",
                "processor\t: 1", "flags\t\t: fpu");
        assertEquals(Set.of("fpu", "avx", "avx2", "fma", "f16c"), NativeBuild.cpuFlags(cpuinfo));
        assertEquals(Set.of(), NativeBuild.cpuFlags(List.of("processor\t: 0")));
    }

    @Test
    void eachCpuGetsTheBestBuildItRuns() {
        assertEquals("-onednn-avx512", choose(LINUX, null, null, Level.AVX512).extension());
        assertEquals("-onednn-avx2", choose(LINUX, null, null, Level.AVX2).extension());
        assertEquals("-onednn", choose(LINUX, null, null, Level.GENERIC).extension());
        assertEquals("-onednn-avx2", choose(List.of("-onednn-avx2", "-onednn"), null, null, Level.AVX512).extension(), "no AVX-512 build here");
        assertEquals("picked for this CPU (AVX2)", choose(LINUX, null, null, Level.AVX2).reason());
        assertEquals("linux-x86_64-onednn-avx2", choose(LINUX, null, null, Level.AVX2).build());
        assertEquals("onednn, onednn-avx2, onednn-avx512", choose(LINUX, null, null, Level.AVX2).presentNames());
    }

    @Test
    void theEnvironmentVariableCapsTheChoiceButNeverAboveTheCpu() {
        assertEquals("-onednn", choose(LINUX, null, "generic", Level.AVX512).extension());
        assertEquals("picked by LENET_NATIVE_BUILD=generic (this CPU runs AVX-512)", choose(LINUX, null, "generic", Level.AVX512).reason());
        assertEquals("-onednn-avx2", choose(LINUX, null, " AVX2 ", Level.AVX512).extension());

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Choice c = NativeBuild.choose("linux-x86_64", LINUX, null, "avx512", Level.AVX2, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals("-onednn-avx2", c.extension());
        assertEquals("lenet: LENET_NATIVE_BUILD=avx512 asks for AVX-512 code, which this CPU cannot run; using the best it can\n", err.toString(StandardCharsets.UTF_8));

        err.reset();
        c = NativeBuild.choose("linux-x86_64", LINUX, null, "sse9", Level.AVX2, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals("-onednn-avx2", c.extension());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("LENET_NATIVE_BUILD=sse9 is not one of generic, avx2, avx512; ignored"), err.toString());
    }

    @Test
    void aUsersOwnJavacppSettingIsKept() {
        Choice c = choose(LINUX, "-onednn", "avx2", Level.AVX512);
        assertEquals("-onednn", c.extension());
        assertEquals("set by -Dorg.bytedeco.javacpp.platform.extension=-onednn", c.reason());
    }

    @Test
    void platformsWithOneBuildLeaveItToJavacpp() {
        Choice arm = NativeBuild.choose("linux-arm64", List.of(""), null, null, Level.GENERIC, quiet());
        assertNull(arm.extension(), "an empty extension would make JavaCPP refuse ND4J's library");
        assertEquals("linux-arm64", arm.build());
        assertEquals("linux-arm64", arm.presentNames());
        assertEquals("-onednn", NativeBuild.choose("windows-x86_64", List.of("-onednn"), null, null, Level.GENERIC, quiet()).extension());
    }

    @Test
    void noBuildForThePlatformOrNoneThisCpuRunsIsSaidInOneLine() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Choice none = NativeBuild.choose("linux-ppc64le", List.of(), null, null, Level.GENERIC, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertNull(none.extension());
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("lenet: this build of lenet holds no native ND4J library for linux-ppc64le; pom.xml has profiles for"), err.toString());

        err.reset();
        Choice tooNew = NativeBuild.choose("linux-x86_64", List.of("-onednn-avx512", "-onednn-avx2"), null, null, Level.GENERIC,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals("-onednn-avx2", tooNew.extension(), "the lowest there is");
        assertEquals("lenet: no native build on the class path (onednn-avx2, onednn-avx512) runs on this CPU (generic x86-64); reinstall lenet to get the generic build\n",
                err.toString(StandardCharsets.UTF_8));
    }

    /** The libraries of one folder of a jar count until JavaCPP's cache holds each with the same size and time. */
    @Test
    void bytesToUnpackAreTheLibrariesTheCacheLacks(@TempDir Path tmp) throws IOException {
        String folder = "org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64-onednn/";
        Path jarPath = tmp.resolve("nd4j-native-test.jar");
        long time = 1_600_000_000_000L;
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jarPath))) {
            put(out, folder + "libnd4jcpu.so", 3000, time);
            put(out, folder + "libgomp.so.1", 200, time);
            put(out, folder + "include/header.h", 50, time); // not a library, not directly in the folder
            put(out, "org/other/libelse.so", 7, time); // another folder
        }
        File cache = tmp.resolve("cache").toFile();
        File jarCache = new File(cache, "nd4j-native-test.jar");
        try (JarFile jar = new JarFile(jarPath.toFile())) {
            assertEquals(3200, NativeBuild.missingBytes(jar, folder, jarCache));

            File lib = new File(jarCache, folder + "libnd4jcpu.so"); // as JavaCPP lays it out
            lib.getParentFile().mkdirs();
            Files.write(lib.toPath(), new byte[3000]);
            lib.setLastModified(jar.getJarEntry(folder + "libnd4jcpu.so").getTime());
            assertEquals(200, NativeBuild.missingBytes(jar, folder, jarCache));

            Files.write(lib.toPath(), new byte[10]); // a torn copy is unpacked again
            lib.setLastModified(jar.getJarEntry(folder + "libnd4jcpu.so").getTime());
            assertEquals(3200, NativeBuild.missingBytes(jar, folder, jarCache));
        }
    }

    @Test
    void theUnpackingLineNamesTheSizeAndTheCacheOnlyWhenThereIsSomethingToUnpack(@TempDir Path tmp) throws IOException {
        Nd4j.create(new float[] {1f}); // starts ND4J, and so the choice and the unpacking
        Choice c = NativeBuild.current().orElseThrow();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long bytes = NativeBuild.bytesToUnpack(c, tmp.toFile());
        assertTrue(bytes > 100_000_000, "libnd4jcpu alone is over 100 MB, was " + bytes);
        assertEquals(0, NativeBuild.bytesToUnpack(c, Loader.getCacheDir()), "this JVM has unpacked them");

        NativeBuild.announceUnpacking(c, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals("", err.toString(StandardCharsets.UTF_8), "nothing to unpack, nothing said");
    }

    /** The build this JVM loaded is the one chosen, and never one with instructions the CPU lacks. */
    @Test
    void thisJvmLoadedTheChosenBuild() {
        Nd4j.create(new float[] {1f}); // starts ND4J, and so the choice
        Choice c = NativeBuild.current().orElseThrow();
        String loaded = Loader.getLoadedLibraries().get("jnind4jcpu");
        assertTrue(loaded.contains(File.separator + c.build() + File.separator), loaded + " is not " + c.build());
        NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        assertTrue(ops.binaryLevel() <= ops.optimalLevel(), "build level " + ops.binaryLevel() + " above the CPU's " + ops.optimalLevel());
        String env = System.getenv(NativeBuild.ENV);
        if ("generic".equals(env)) assertEquals(1, ops.binaryLevel(), "LENET_NATIVE_BUILD=generic loads generic x86-64 code");
        if (env == null && c.platform().equals("linux-x86_64")) assertEquals(ops.optimalLevel(), ops.binaryLevel(), "the best build this CPU runs");
    }

    private static Choice choose(List<String> present, String property, String env, Level cpu) {
        return NativeBuild.choose("linux-x86_64", present, property, env, cpu, quiet());
    }

    private static PrintStream quiet() {
        return new PrintStream(OutputStream.nullOutputStream());
    }

    private static void put(JarOutputStream out, String name, int size, long time) throws IOException {
        JarEntry e = new JarEntry(name);
        e.setTime(time);
        out.putNextEntry(e);
        out.write(new byte[size]);
        out.closeEntry();
    }
}
