package lenet.nn;

/**
 * Whether the vector-API kernels ({@link SimdSigmoid}, {@link SimdWeightGradient}) can run. The JDK
 * ships the vector API as an incubator module in Java 17, so the JVM must be started with
 * {@code --add-modules jdk.incubator.vector} (the launcher does so for train, eval, bench and
 * report); {@code -Dlenet.simd=false} turns them off. Without them the layers use ND4J's kernels,
 * which give the same results to float rounding. This class names no vector type, so it loads
 * without the module.
 */
public final class Simd {
    private Simd() {}

    /** What runs where in this JVM, for {@code lenet bench}. */
    public static String describe() {
        return AVAILABLE ? "the sigmoid and conv1's weight gradient on the JDK vector API (" + SimdSigmoid.lanes()
                + " floats at a time), the rest on ND4J"
                : "all on ND4J (Java was started without --add-modules jdk.incubator.vector)";
    }

    static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !"false".equals(System.getProperty("lenet.simd"));
}
