package lenet.nn;

import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A fully connected layer, as PyTorch's {@code nn.Linear}: y = x W^T + b.
 *
 * <pre>
 *   input x [N, in]     weight W [out, in]     bias b [out]     output y [N, out]
 * </pre>
 */
public final class Linear implements Layer {
    private final int in;
    private final int out;
    private final Param weight;
    private final Param bias;
    private INDArray input; // kept by forward for backward

    /** A layer with Xavier-uniform weights and zero bias. */
    public Linear(String name, int in, int out, Random rng) {
        this(name, Init.xavierUniform(rng, out, in), Init.zeros(out));
    }

    /** A layer with the given weight [out, in] and bias [out]. */
    public Linear(String name, INDArray weight, INDArray bias) {
        this(Param.of(name + ".weight", weight), Param.of(name + ".bias", bias.reshape(bias.length())));
    }

    /** A layer over existing parameters (e.g. views into a {@link ParamBlock}): weight [out, in], bias [out]. */
    public Linear(Param weight, Param bias) {
        if (weight.value().rank() != 2 || bias.value().rank() != 1 || bias.value().length() != weight.value().size(0)) {
            throw new IllegalArgumentException(weight.name() + " must be [out, in] and " + bias.name() + " [out]");
        }
        this.out = (int) weight.value().size(0);
        this.in = (int) weight.value().size(1);
        this.weight = weight;
        this.bias = bias;
    }

    @Override
    public INDArray forward(INDArray x) {
        if (x.rank() != 2 || x.size(1) != in) {
            throw new IllegalArgumentException("Linear expects [N, " + in + "], got " + java.util.Arrays.toString(x.shape()));
        }
        input = x;
        INDArray y = Nd4j.createUninitialized(x.dataType(), x.size(0), out);
        Nd4j.gemm(x, weight.value(), y, false, true, 1.0, 0.0); // y = x W^T
        return y.addiRowVector(bias.value());
    }

    /** dW += dOut^T x;  db += column sums of dOut;  dInput = dOut W. */
    @Override
    public INDArray backward(INDArray dOut) {
        Nd4j.gemm(dOut, input, weight.grad(), true, false, 1.0, 1.0);
        bias.grad().addi(dOut.sum(0));
        INDArray dInput = Nd4j.createUninitialized(input.dataType(), input.size(0), in);
        Nd4j.gemm(dOut, weight.value(), dInput, false, false, 1.0, 0.0);
        return dInput;
    }

    @Override
    public List<Param> params() {
        return List.of(weight, bias);
    }

    @Override
    public String describe() {
        return "Linear(" + in + "->" + out + ")";
    }
}
