package lenet.engine.nd4j;

import lenet.model.LayerSpec;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The rectifier max(0, z), elementwise; its derivative is 1 where z > 0 and 0 elsewhere (0 at z = 0, as PyTorch). */
final class ReLU implements Module {
    private final LayerSpec.Act spec;

    ReLU(LayerSpec.Act spec) {
        this.spec = spec;
    }

    @Override
    public LayerSpec spec() {
        return spec;
    }

    @Override
    public INDArray forward(Tape tape, INDArray z) {
        INDArray y = Transforms.relu(z, true); // a new array: z is left alone
        tape.save(this, y);
        return y;
    }

    @Override
    public INDArray backward(Tape tape, INDArray dOut) {
        return Transforms.step(tape.saved(this, INDArray.class)).muli(dOut); // step(y) = 1 where y > 0
    }
}
