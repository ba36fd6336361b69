package lenet.engine.nd4j;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Whether the vector-API kernels ({@link SimdSigmoid}, {@link SimdWeightGradient}) can run. The JDK
 * ships the vector API as an incubator module in Java 17, so the JVM must be started with
 * {@code --add-modules jdk.incubator.vector} (the launcher always is); {@code -Dlenet.simd=false}
 * turns them off. They also stay off where the CPU's vectors hold fewer than {@value #MIN_LANES}
 * floats (x86 without AVX2, or ARM's 128-bit NEON), unless {@code -Dlenet.simd=true}: see README.md,
 * "Where it runs". Without them {@link Layers} builds ND4J's kernels, which give the same results to
 * float rounding. This class names no vector type, so it loads without the module.
 */
final class Simd {
    private Simd() {}

    /** Fewest float lanes (256-bit vectors) for which the vector kernels are used. */
    static final int MIN_LANES = 8;
    private static final boolean MODULE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    private static final boolean TURNED_OFF = "false".equals(System.getProperty("lenet.simd"));
    private static final boolean FORCED = "true".equals(System.getProperty("lenet.simd"));

    static final boolean AVAILABLE = MODULE && !TURNED_OFF && (FORCED || SimdSigmoid.lanes() >= MIN_LANES);

    /** What runs where with {@code vectorApi} on or off. */
    static String describe(boolean vectorApi) {
        if (vectorApi) {
            return "the sigmoid and conv1's weight gradient on the JDK vector API (" + SimdSigmoid.lanes() + " floats at a time), the rest on ND4J";
        }
        if (!MODULE) return "all on ND4J (Java was started without --add-modules jdk.incubator.vector)";
        if (TURNED_OFF) return "all on ND4J (-Dlenet.simd=false)";
        if (!AVAILABLE) {
            return "all on ND4J (the JDK vector API has " + SimdSigmoid.lanes() + " float lanes on this CPU; lenet's vector kernels need "
                    + MIN_LANES + " unless -Dlenet.simd=true)";
        }
        return "all on ND4J";
    }

    /**
     * Whether {@code a} is float32 laid out contiguously in C order, as the vector kernels read it
     * straight from ND4J's memory. The engine's arrays always are (it creates each one so); the
     * kernels check it rather than read the wrong numbers.
     */
    static boolean dense(INDArray a) {
        if (a.dataType() != DataType.FLOAT) return false;
        long[] shape = a.shape(), stride = a.stride();
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && stride[d] != expected) return false;
            expected *= shape[d];
        }
        return true;
    }

    /** Throws unless {@link #dense}: a vector kernel was handed an array it cannot read. */
    static INDArray requireDense(String what, INDArray a) {
        if (!dense(a)) throw new IllegalStateException(what + " must be a contiguous float32 array for the vector kernel, got " + a.dataType() + " " + a.shapeInfoToString());
        return a;
    }
}
