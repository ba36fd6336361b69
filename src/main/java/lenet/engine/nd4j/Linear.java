package lenet.engine.nd4j;

import lenet.model.LayerSpec;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A fully connected layer, PyTorch's {@code nn.Linear}: y = x W^T + b, on BLAS's gemm.
 *
 * <pre>
 *   x [N, in]   weight W [out, in]   bias b [out]   ->   y [N, out]
 *   backward:  dW += dOut^T x     db += column sums of dOut     dx = dOut W
 * </pre>
 *
 * The same arithmetic in plain loops: {@code lenet.engine.reference.Linear}.
 */
final class Linear implements Module {
    private final LayerSpec.Linear spec;
    private final INDArray weight, bias; // [out, in], [out]: views into the model's parameters, only read

    Linear(LayerSpec.Linear spec, INDArray weight, INDArray bias) {
        this.spec = spec;
        this.weight = weight;
        this.bias = bias;
    }

    @Override
    public LayerSpec spec() {
        return spec;
    }

    @Override
    public INDArray forward(Tape tape, INDArray x) { // x [N, in] -> y [N, out]
        INDArray y = Nd4j.createUninitialized(x.dataType(), x.size(0), spec.out());
        Nd4j.gemm(x, weight, y, false, true, 1.0, 0.0); // y = x W^T
        tape.save(this, x);
        return y.addiRowVector(bias);
    }

    @Override
    public INDArray backward(Tape tape, INDArray dOut) { // dOut [N, out] -> dx [N, in]
        INDArray x = tape.saved(this, INDArray.class);
        Nd4j.gemm(dOut, x, tape.grad(spec.name() + ".weight"), true, false, 1.0, 1.0); // dW += dOut^T x
        tape.grad(spec.name() + ".bias").addi(dOut.sum(0));
        INDArray dx = Nd4j.createUninitialized(x.dataType(), x.size(0), spec.in());
        Nd4j.gemm(dOut, weight, dx, false, false, 1.0, 0.0); // dx = dOut W
        return dx;
    }
}
