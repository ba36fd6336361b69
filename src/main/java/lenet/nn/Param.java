package lenet.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A trainable tensor and the gradient of the loss with respect to it.
 *
 * <p>{@code value} and {@code grad} have the same shape and live outside any workspace, so they
 * survive from step to step. Backward passes <em>add</em> into {@code grad}; the optimizer zeroes it
 * once per step, exactly like PyTorch's {@code .grad}.
 *
 * @param name  the PyTorch-style name, e.g. {@code conv1.weight}
 * @param value the parameter itself, updated in place by the optimizer
 * @param grad  dLoss/dValue accumulated by backward
 */
public record Param(String name, INDArray value, INDArray grad) {
    public Param {
        if (!java.util.Arrays.equals(value.shape(), grad.shape())) {
            throw new IllegalArgumentException(name + ": value and grad shapes differ");
        }
    }

    /** A parameter with the given value and a zero gradient of the same shape. */
    public static Param of(String name, INDArray value) {
        return new Param(name, value, value.ulike().assign(0));
    }

    public long[] shape() {
        return value.shape();
    }
}
