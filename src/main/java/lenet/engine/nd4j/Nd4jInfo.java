package lenet.engine.nd4j;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import lenet.engine.nd4j.platform.NativeBuild;
import org.bytedeco.javacpp.Loader;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * What the ND4J engine runs on, for {@code lenet --version}: ND4J's version, its backend, the native
 * build in use (the classifier jar, e.g. linux-x86_64-onednn-avx2), the instruction set it was
 * compiled for against the CPU's, the linked libraries and the thread count; which builds there were
 * to choose from and why this one ({@link NativeBuild}), where JavaCPP unpacked it; and which
 * kernels run on the JDK's vector API. Asking starts ND4J (about a second). Also how many threads
 * its native kernels may use.
 */
public final class Nd4jInfo {
    private Nd4jInfo() {}

    /** The lines {@code --version} prints after lenet's own. */
    public static List<String> versionLines() {
        return List.of(
                "ND4J " + nd4jVersion(),
                backend(),
                nativeBuild());
    }

    /** How many threads ND4J's native kernels use. */
    public static int threads() {
        return Nd4j.getEnvironment().maxMasterThreads();
    }

    /**
     * Lets ND4J's native kernels (OpenMP and BLAS) use {@code threads} threads. Setting them starts
     * ND4J, so a command that may never need it (predict on a few images) calls this only when it does.
     */
    public static void setThreads(int threads) {
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
    }

    /** e.g. "native build chosen from onednn, onednn-avx2, onednn-avx512: picked for this CPU (AVX-512); cache /home/me/.javacpp/cache". */
    static String nativeBuild() {
        return NativeBuild.current().map(c -> {
            String cache;
            try {
                cache = Loader.getCacheDir().toString();
            } catch (IOException e) {
                cache = "(none: " + e.getMessage() + ")";
            }
            return "native build chosen from " + c.presentNames() + ": " + c.reason() + "; cache " + cache;
        }).orElse("native build: none chosen (ND4J did not start)");
    }

    /** The version in nd4j-api's Maven metadata, read from the class path. */
    static String nd4jVersion() {
        try (InputStream in = Nd4j.class.getResourceAsStream("/META-INF/maven/org.nd4j/nd4j-api/pom.properties")) {
            if (in == null) return "(version unknown)";
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "(version unknown)");
        } catch (IOException e) {
            return "(version unknown)";
        }
    }

    /** e.g. "backend CPU, native build linux-x86_64-onednn-avx2: AVX2 code, this CPU has AVX-512; OpenBLAS, oneDNN; 2 threads". */
    static String backend() {
        try {
            Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
            NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
            List<String> libraries = new ArrayList<>();
            String build = ops.buildInfo();
            if (build.contains("HAVE_OPENBLAS")) libraries.add("OpenBLAS");
            if (build.contains("HAVE_ONEDNN")) libraries.add("oneDNN");
            if (build.contains("HAVE_ARMCOMPUTE")) libraries.add("Arm Compute Library");
            return "backend " + env.getProperty("backend", Nd4j.getBackend().getClass().getSimpleName())
                    + ", native build " + variant() + ": " + level(ops.binaryLevel()) + " code, this CPU has " + level(ops.optimalLevel())
                    + (libraries.isEmpty() ? "" : "; " + String.join(", ", libraries))
                    + "; " + env.getOrDefault("omp.threads", "?") + " threads";
        } catch (Throwable e) { // a version request must answer even when the native library does not load
            return "backend not loaded: " + e;
        }
    }

    /** The platform folder of the loaded libnd4j JNI library (which classifier jar it came from). */
    private static String variant() {
        String path = Loader.getLoadedLibraries().get("jnind4jcpu");
        if (path != null) {
            String marker = "/bindings/";
            int at = path.indexOf(marker);
            if (at >= 0) {
                int end = path.indexOf('/', at + marker.length());
                if (end > 0) return path.substring(at + marker.length(), end);
            }
        }
        return Loader.getPlatform();
    }

    /** libnd4j's instruction-set levels, named as ND4J's own start-up log names them. */
    private static String level(int level) {
        return switch (level) {
            case 3 -> "AVX-512";
            case 2 -> "AVX2";
            default -> "generic x86-64";
        };
    }
}
