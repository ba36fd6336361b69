package lenet.engine.nd4j;

import java.util.Map;
import lenet.engine.Engine;
import lenet.engine.Network;
import lenet.engine.Sgd;
import lenet.engine.Trainable;
import lenet.io.NdArray;
import lenet.model.ModelSpec;
import lenet.model.ModelState;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The ND4J engine: libnd4j's native kernels (conv2d, pooling, BLAS gemm, elementwise ops) on float32
 * arrays, with the sigmoid and the first layer's weight gradient on the JDK vector API when the JVM
 * offers it. {@link Layers} builds each layer as the class that runs the chosen kernel; every layer is
 * tested against the reference engine ({@code lenet.engine.reference}), where the same arithmetic is
 * written out in plain loops.
 */
public final class Nd4jEngine implements Engine {
    private final boolean vectorApi;

    /** The engine with the vector-API kernels when this JVM has the module (and {@code -Dlenet.simd=false} is not set). */
    public Nd4jEngine() {
        this(Simd.AVAILABLE);
    }

    /** With the vector-API kernels on or off (off: libnd4j's kernels throughout; tests compare the two). */
    Nd4jEngine(boolean vectorApi) {
        if (vectorApi && !Simd.AVAILABLE) throw new IllegalStateException("the vector API is not available in this JVM (--add-modules jdk.incubator.vector)");
        this.vectorApi = vectorApi;
    }

    @Override
    public String name() {
        return "nd4j";
    }

    @Override
    public String describe() {
        return "nd4j: ND4J's native kernels in float32; " + Simd.describe(vectorApi);
    }

    /** Every layer a spec can hold. */
    @Override
    public boolean supports(ModelSpec spec) {
        return true;
    }

    @Override
    public Network network(ModelSpec spec, ModelState state) {
        return new Nd4jNetwork(Model.of(spec, state, DataType.FLOAT, vectorApi, true));
    }

    @Override
    public Trainable trainable(ModelSpec spec, ModelState state, Sgd sgd, Map<String, NdArray> optimizerState) {
        return new Nd4jTrainable(Model.of(spec, state, DataType.FLOAT, vectorApi, false), sgd, optimizerState);
    }
}
