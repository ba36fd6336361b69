package lenet.nn;

/**
 * Whether the vector-API kernels ({@link SimdSigmoid}, {@link SimdWeightGradient}) can run. The JDK
 * ships the vector API as an incubator module in Java 17, so the JVM must be started with
 * {@code --add-modules jdk.incubator.vector} (the launcher does so for train, eval, bench and
 * report); {@code -Dlenet.simd=false} turns them off. They also stay off where the CPU's vectors
 * hold fewer than {@value #MIN_LANES} floats (x86 without AVX2, or ARM's 128-bit NEON), unless
 * {@code -Dlenet.simd=true}: see README.md, "Where it runs", for what they gain at each width. Without them the layers use
 * ND4J's kernels, which give the same results to float rounding. This class names no vector type,
 * so it loads without the module.
 */
public final class Simd {
    private Simd() {}

    /** Fewest float lanes (256-bit vectors) for which the vector kernels are used. */
    static final int MIN_LANES = 8;
    private static final boolean MODULE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    private static final boolean TURNED_OFF = "false".equals(System.getProperty("lenet.simd"));
    private static final boolean FORCED = "true".equals(System.getProperty("lenet.simd"));

    /** What runs where in this JVM, for {@code lenet bench} and {@code lenet --version}. */
    public static String describe() {
        if (AVAILABLE) {
            return "the sigmoid and conv1's weight gradient on the JDK vector API (" + SimdSigmoid.lanes()
                    + " floats at a time), the rest on ND4J";
        }
        if (!MODULE) return "all on ND4J (Java was started without --add-modules jdk.incubator.vector)";
        if (TURNED_OFF) return "all on ND4J (-Dlenet.simd=false)";
        return "all on ND4J (the JDK vector API has " + SimdSigmoid.lanes() + " float lanes on this CPU; lenet's vector kernels need " + MIN_LANES
                + " unless -Dlenet.simd=true)";
    }

    static final boolean AVAILABLE = MODULE && !TURNED_OFF && (FORCED || SimdSigmoid.lanes() >= MIN_LANES);
}
