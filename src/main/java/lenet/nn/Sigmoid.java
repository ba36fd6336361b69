package lenet.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The logistic function s(z) = 1 / (1 + e^-z), elementwise; LeNet's original activation. */
public final class Sigmoid implements Layer {
    private INDArray output; // s, kept for backward

    @Override
    public INDArray forward(INDArray z) {
        output = Transforms.sigmoid(z, true);
        return output;
    }

    /** ds/dz = s * (1 - s), computed from the kept output, so dInput = dOut * s * (1 - s). */
    @Override
    public INDArray backward(INDArray dOut) {
        return output.rsub(1.0).muli(output).muli(dOut);
    }

    @Override
    public String describe() {
        return "Sigmoid";
    }
}
