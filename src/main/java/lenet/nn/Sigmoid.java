package lenet.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The logistic function s(z) = 1 / (1 + e^-z), elementwise; LeNet's original activation. */
public final class Sigmoid implements Layer {
    private final boolean inPlace;
    private INDArray output; // s, kept for backward

    public Sigmoid() {
        this(false);
    }

    /**
     * @param inPlace overwrite the input with the output (PyTorch's {@code inplace=True}): saves an
     *                array and a copy when nothing else needs the input, as in LeNet, where each
     *                sigmoid's input is the fresh output of a conv or linear layer whose backward
     *                needs only its own input.
     */
    public Sigmoid(boolean inPlace) {
        this.inPlace = inPlace;
    }

    @Override
    public INDArray forward(INDArray z) {
        if (Simd.AVAILABLE && SimdSigmoid.fits(z)) {
            output = inPlace ? z : z.dup('c');
            SimdSigmoid.forwardInPlace(output);
        } else {
            output = Transforms.sigmoid(z, !inPlace);
        }
        return output;
    }

    /** ds/dz = s * (1 - s), computed from the kept output, so dInput = dOut * s * (1 - s). */
    @Override
    public INDArray backward(INDArray dOut) {
        if (Simd.AVAILABLE && SimdSigmoid.fits(output) && SimdSigmoid.fits(dOut) && java.util.Arrays.equals(output.shape(), dOut.shape())) {
            INDArray dInput = Nd4j.createUninitialized(output.dataType(), output.shape());
            SimdSigmoid.backward(output, dOut, dInput);
            return dInput;
        }
        return output.rsub(1.0).muli(output).muli(dOut);
    }

    @Override
    public String describe() {
        return "Sigmoid";
    }
}
