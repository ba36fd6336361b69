package lenet.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import lenet.nn.Simd;
import lenet.platform.NativeBuild;
import org.bytedeco.javacpp.Loader;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;
import picocli.CommandLine;

/**
 * {@code lenet --version}: this build's version, Java's, and the array library's: ND4J's version,
 * its backend, the native build in use (the classifier jar, e.g. linux-x86_64-onednn-avx2), the
 * instruction set that build uses against the best this CPU offers, the linked math libraries and
 * the thread count; which builds there were to choose from and why this one (lenet.platform.NativeBuild),
 * where JavaCPP unpacked it; and which kernels run on the JDK's vector API. Starting ND4J to ask
 * takes about a second.
 */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Main.class.getPackage().getImplementationVersion();
        return new String[] {
            "lenet " + (version == null ? "(development build)" : version),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + "), ND4J " + nd4jVersion(),
            backend(),
            nativeBuild(),
            "kernels: " + Simd.describe()
        };
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
    private static String nd4jVersion() {
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
