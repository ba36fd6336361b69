package lenet.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The rectifier max(0, z), elementwise. */
public final class ReLU implements Layer {
    private INDArray output; // kept for backward

    @Override
    public INDArray forward(INDArray z) {
        output = Transforms.relu(z, true);
        return output;
    }

    /** d max(0, z)/dz is 1 where z > 0 and 0 elsewhere (0 at z = 0, as PyTorch). */
    @Override
    public INDArray backward(INDArray dOut) {
        return Transforms.step(output).muli(dOut);
    }

    @Override
    public String describe() {
        return "ReLU";
    }
}
