package lenet.engine.nd4j;

import lenet.model.LayerSpec;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One layer of the ND4J engine: forward and backward over a batch, the batch axis first
 * ([N, C, H, W] or [N, F]), in the data type of its parameters (float; double in gradient checks).
 *
 * <p>A module's fields hold only what the model is (its spec, its parameter and buffer arrays,
 * which it only reads); everything one call needs is in the {@link Tape}, so one module serves
 * concurrent forward passes. forward keeps what backward needs in the tape; backward gets dL/dOut
 * and returns dL/dIn, ADDING dL/dParameter into {@code tape.grad(name)}.
 */
interface Module {
    LayerSpec spec();

    /** y = layer(x) for tape.n samples. */
    INDArray forward(Tape tape, INDArray x);

    /** dL/dx from dL/dy, after a forward on the same tape; null from a layer built not to compute it (see {@link Layers}). */
    INDArray backward(Tape tape, INDArray dOut);
}
