package lenet.engine.nd4j.platform;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.bytedeco.javacpp.Loader;

/**
 * Which of ND4J's native builds this JVM loads. On linux-x86_64 the class path holds three
 * (pom.xml's profile): generic x86-64 code, AVX2 code and AVX-512 code, each with oneDNN. Left to
 * itself JavaCPP would load the AVX2 one whatever the CPU, and a build with instructions the CPU
 * lacks dies with an illegal instruction or, when libnd4j's own check catches it first, exits
 * silently (its message goes to the logger, which lenet keeps quiet). So before ND4J loads
 * anything ({@link SelectingCpuBackend}) this class reads the CPU's flags and sets JavaCPP's
 * {@value #EXTENSION_PROPERTY} to the best build this CPU runs. Elsewhere there is one build per
 * platform and nothing to choose.
 *
 * <p>Also says, once, when JavaCPP is about to unpack the libraries into its cache (some 440 MB,
 * a few seconds): otherwise the first start just hangs there without a word.
 */
public final class NativeBuild {
    /** JavaCPP's switch between builds of one platform; a user's own setting is kept. */
    static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";
    /** Caps the choice: generic, avx2 or avx512 (e.g. to run the tests on the generic build). */
    static final String ENV = "LENET_NATIVE_BUILD";
    private static final String BINDINGS = "org/nd4j/linalg/cpu/nativecpu/bindings/";

    /** The builds lenet knows, in order of preference at each level: oneDNN's convolutions are the fastest. */
    static final List<String> EXTENSIONS = List.of("-onednn-avx512", "-avx512", "-onednn-avx2", "-avx2", "-onednn", "");

    /** The instruction sets libnd4j's x86 builds are compiled for. */
    public enum Level {
        GENERIC("generic x86-64", "generic"), AVX2("AVX2", "avx2"), AVX512("AVX-512", "avx512");

        final String label;
        final String envValue;

        Level(String label, String envValue) {
            this.label = label;
            this.envValue = envValue;
        }

        @Override
        public String toString() {
            return label;
        }

        /** The level a build's extension names ("-onednn-avx2" is AVX2). */
        static Level of(String extension) {
            return extension.contains("avx512") ? AVX512 : extension.contains("avx2") ? AVX2 : GENERIC;
        }
    }

    /*
     * libnd4j's AVX2 build is compiled with -mavx -mavx2 -mfma -mf16c; its AVX-512 build adds
     * -mavx512f -mavx512cd -mavx512bw -mavx512dq -mavx512vl -mbmi -mbmi2 (libnd4j/blas/CMakeLists.txt).
     * libnd4j's own check asks for less (AVX and AVX2; for AVX-512 F, CD, BW, DQ and VL); this asks
     * for every extension the compiler was allowed to use. Linux lists in /proc/cpuinfo only what
     * both the CPU and the kernel support.
     */
    static final Set<String> AVX2_FLAGS = Set.of("avx", "avx2", "fma", "f16c");
    static final Set<String> AVX512_FLAGS = union(AVX2_FLAGS, Set.of("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl", "bmi1", "bmi2"));

    /**
     * What was picked and why.
     *
     * @param platform JavaCPP's platform, e.g. linux-x86_64
     * @param extension the build's extension (e.g. "-onednn-avx2") for JavaCPP's property, or null
     *     where there is nothing to choose and JavaCPP finds the one build itself
     * @param present the extensions of the builds on the class path, best first
     * @param cpu the most this CPU runs (GENERIC where lenet cannot read the flags)
     * @param reason why this build, in words for {@code lenet --version}
     */
    public record Choice(String platform, String extension, List<String> present, Level cpu, String reason) {
        /** The build's folder name, e.g. linux-x86_64-onednn-avx2 or linux-arm64. */
        public String build() {
            return platform + (extension != null ? extension : present.isEmpty() ? "" : present.get(0));
        }

        /** e.g. "onednn, onednn-avx2, onednn-avx512", or the platform for its one plain build. */
        public String presentNames() {
            return names(platform, present);
        }
    }

    private static String names(String platform, List<String> present) {
        List<String> names = new ArrayList<>();
        for (int i = present.size() - 1; i >= 0; i--) names.add(present.get(i).isEmpty() ? platform : present.get(i).substring(1));
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    private static Choice choice;

    private NativeBuild() {}

    /**
     * Picks the build (once per JVM) and sets JavaCPP's property, then says whether its libraries
     * must be unpacked first. Must run before JavaCPP loads ND4J's library, i.e. before ND4J starts.
     */
    public static synchronized Choice prepare() {
        if (choice == null) {
            String platform = Loader.getPlatform();
            choice = choose(platform, presentExtensions(platform), System.getProperty(EXTENSION_PROPERTY),
                    System.getenv(ENV), cpuLevel(platform), System.err);
            // Never "": JavaCPP then refuses ND4J's library ("platform not supported").
            if (choice.extension() != null && !choice.extension().isEmpty()) {
                System.setProperty(EXTENSION_PROPERTY, choice.extension());
                // JavaCPP copied the system properties into its platform properties when its Loader
                // class was first used (Loader.getPlatform() above, if nothing used it earlier) and
                // keeps that one object for every library it loads: set the extension there too.
                Loader.loadProperties().setProperty("platform.extension", choice.extension());
            }
            announceUnpacking(choice, System.err);
        }
        return choice;
    }

    /** The choice made by {@link #prepare()}, or empty while ND4J has not started. */
    public static synchronized Optional<Choice> current() {
        return Optional.ofNullable(choice);
    }

    /**
     * The build to load: the user's own {@value #EXTENSION_PROPERTY} if set, else the best build
     * present that this CPU runs, capped by {@code LENET_NATIVE_BUILD}. A platform with one build
     * and no levels to choose from (ARM, or one x86 build) leaves JavaCPP to find it.
     */
    static Choice choose(String platform, List<String> present, String userProperty, String env, Level cpu, PrintStream err) {
        if (userProperty != null) {
            return new Choice(platform, userProperty, present, cpu, "set by -D" + EXTENSION_PROPERTY + "=" + userProperty);
        }
        if (present.isEmpty()) {
            err.println("lenet: this build of lenet holds no native ND4J library for " + platform
                    + "; pom.xml has profiles for linux-x86_64, linux-arm64, macosx-arm64, macosx-x86_64 and windows-x86_64");
            return new Choice(platform, null, present, cpu, "none on the class path");
        }
        if (!platform.endsWith("x86_64")) { // ND4J builds other CPUs without per-instruction-set variants
            return new Choice(platform, null, present, cpu, "this platform's build");
        }
        Level cap = cpu;
        String why = "picked for this CPU (" + cpu + ")";
        if (env != null && !env.isBlank()) {
            String value = env.strip().toLowerCase(Locale.ROOT);
            Optional<Level> asked = Arrays.stream(Level.values()).filter(l -> l.envValue.equals(value)).findFirst();
            if (asked.isEmpty()) {
                err.println("lenet: " + ENV + "=" + env + " is not one of generic, avx2, avx512; ignored");
            } else if (asked.get().compareTo(cpu) > 0) {
                err.println("lenet: " + ENV + "=" + env + " asks for " + asked.get() + " code, which this CPU cannot run; using the best it can");
            } else {
                cap = asked.get();
                why = "picked by " + ENV + "=" + value + " (this CPU runs " + cpu + ")";
            }
        }
        for (String extension : present) {
            if (Level.of(extension).compareTo(cap) <= 0) return new Choice(platform, extension, present, cpu, why);
        }
        // Only builds above this CPU (the generic one was removed by hand): say so before it fails.
        String lowest = present.get(present.size() - 1);
        err.println("lenet: no native build on the class path (" + names(platform, present)
                + ") runs on this CPU (" + cpu + "); reinstall lenet to get the generic build");
        return new Choice(platform, lowest, present, cpu, "no build this CPU runs");
    }

    /** The extensions of the builds on the class path for {@code platform}, in {@link #EXTENSIONS} order. */
    static List<String> presentExtensions(String platform) {
        ClassLoader cl = NativeBuild.class.getClassLoader();
        String jni = System.mapLibraryName("jnind4jcpu");
        List<String> present = new ArrayList<>();
        for (String extension : EXTENSIONS) {
            if (cl.getResource(BINDINGS + platform + extension + "/" + jni) != null) present.add(extension);
        }
        return present;
    }

    /** The most this CPU runs, from its flags; GENERIC where they cannot be read (not Linux). */
    static Level cpuLevel(String platform) {
        if (!platform.equals("linux-x86_64")) return Level.GENERIC;
        try {
            return levelOf(cpuFlags(Files.readAllLines(Path.of("/proc/cpuinfo"))));
        } catch (IOException | UncheckedIOException e) {
            return Level.GENERIC;
        }
    }

    /** The flags of the first processor in /proc/cpuinfo ("flags : fpu vme ... avx2 ..."). */
    static Set<String> cpuFlags(List<String> cpuinfo) {
        for (String line : cpuinfo) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equals("flags")) {
                return new HashSet<>(Arrays.asList(line.substring(colon + 1).strip().split("\\s+")));
            }
        }
        return Set.of();
    }

    static Level levelOf(Set<String> flags) {
        if (flags.containsAll(AVX512_FLAGS)) return Level.AVX512;
        if (flags.containsAll(AVX2_FLAGS)) return Level.AVX2;
        return Level.GENERIC;
    }

    /**
     * Prints "unpacking native libraries (N MB, once) into DIR" when JavaCPP is about to extract
     * the chosen build's libraries (and OpenBLAS's and JavaCPP's own) because its cache lacks them.
     */
    static void announceUnpacking(Choice choice, PrintStream err) {
        try {
            File cache = Loader.getCacheDir();
            long bytes = bytesToUnpack(choice, cache);
            if (bytes > 0) {
                err.printf(Locale.ROOT, "lenet: unpacking native libraries (%d MB, once) into %s%n", Math.round(bytes / 1e6), cache);
                err.flush();
            }
        } catch (IOException | RuntimeException e) {
            // Only a message: JavaCPP reports real trouble itself when it loads the library.
        }
    }

    /** Bytes of the libraries JavaCPP will load for {@code choice} that its cache does not hold yet. */
    static long bytesToUnpack(Choice choice, File cache) throws IOException {
        String platform = choice.platform();
        long bytes = 0;
        bytes += missingBytes(BINDINGS + choice.build() + "/", System.mapLibraryName("jnind4jcpu"), cache);
        bytes += missingBytes("org/bytedeco/openblas/" + platform + "/", System.mapLibraryName("jniopenblas"), cache);
        bytes += missingBytes("org/bytedeco/javacpp/" + platform + "/", System.mapLibraryName("jnijavacpp"), cache);
        return bytes;
    }

    /**
     * The libraries directly in {@code folder} of the jar that holds {@code folder + probe}, and
     * not yet in JavaCPP's cache as it lays them out: {@code CACHE/<jar name>/<folder>/<file>},
     * same size and time.
     */
    static long missingBytes(String folder, String probe, File cache) throws IOException {
        URL url = NativeBuild.class.getClassLoader().getResource(folder + probe);
        if (url == null) return 0;
        URLConnection connection = url.openConnection();
        if (!(connection instanceof JarURLConnection jarConnection)) return 0;
        jarConnection.setUseCaches(false);
        try (JarFile jar = jarConnection.getJarFile()) {
            return missingBytes(jar, folder, new File(cache, new File(jar.getName()).getName()));
        }
    }

    static long missingBytes(JarFile jar, String folder, File jarCache) {
        long bytes = 0;
        for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
            JarEntry e = entries.nextElement();
            String name = e.getName();
            if (e.isDirectory() || !name.startsWith(folder) || name.indexOf('/', folder.length()) >= 0 || !isLibrary(name)) continue;
            File cached = new File(jarCache, name);
            if (!cached.isFile() || cached.length() != e.getSize() || cached.lastModified() != e.getTime()) bytes += e.getSize();
        }
        return bytes;
    }

    private static boolean isLibrary(String name) {
        return name.endsWith(".dll") || name.endsWith(".dylib") || name.contains(".so");
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new HashSet<>(a);
        u.addAll(b);
        return Set.copyOf(u);
    }
}
