package lenet.nn;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One differentiable step of a network.
 *
 * <p>{@code forward} keeps exactly what {@code backward} needs; {@code backward} takes dLoss/dOutput
 * of the latest forward, adds dLoss/dParam into each parameter's {@code grad} and returns
 * dLoss/dInput. A layer holds no state between training steps other than its parameters.
 */
public interface Layer {
    INDArray forward(INDArray input);

    INDArray backward(INDArray dOut);

    /** The trainable parameters, in a fixed order; empty for layers without any. */
    default List<Param> params() {
        return List.of();
    }

    /** A short description for summaries, e.g. {@code Conv2d(1->6, 5x5, pad 2)}. */
    String describe();
}
