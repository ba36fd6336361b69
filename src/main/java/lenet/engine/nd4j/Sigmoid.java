package lenet.engine.nd4j;

import lenet.model.LayerSpec;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The logistic function s(z) = 1 / (1 + e^-z), elementwise, on libnd4j's kernel; backward
 * ds/dz = s (1 - s) from the kept output: dz = dOut * s * (1 - s). {@link SimdSigmoid} computes the
 * same with the vector API; {@link Layers} chooses between them.
 */
final class Sigmoid implements Module {
    private final LayerSpec.Act spec;
    private final boolean overwriteInput;

    /**
     * @param overwriteInput write s over z (PyTorch's {@code inplace=True}): saves an array and a copy
     *                       when nothing else needs z, as when it is the fresh output of a conv,
     *                       linear or batch norm layer, whose backward does not read its output
     */
    Sigmoid(LayerSpec.Act spec, boolean overwriteInput) {
        this.spec = spec;
        this.overwriteInput = overwriteInput;
    }

    @Override
    public LayerSpec spec() {
        return spec;
    }

    @Override
    public INDArray forward(Tape tape, INDArray z) {
        INDArray s = Transforms.sigmoid(z, !overwriteInput);
        tape.save(this, s);
        return s;
    }

    @Override
    public INDArray backward(Tape tape, INDArray dOut) {
        INDArray s = tape.saved(this, INDArray.class);
        return s.rsub(1.0).muli(s).muli(dOut); // (1 - s) * s * dOut
    }
}
