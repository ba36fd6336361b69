package lenet.engine.nd4j;

import lenet.model.LayerSpec;
import lenet.model.Window;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * 2D convolution, PyTorch's {@code nn.Conv2d}: a cross-correlation (the kernel is NOT flipped), on
 * libnd4j's native conv2d / conv2d_bp kernels with the weights in PyTorch's layout.
 *
 * <pre>
 *   x [N, C, H, W]   weight [OC, C, KH, KW]   bias [OC]   ->   y [N, OC, OH, OW]
 *   OH = floor((H + 2 padH - KH) / strideH) + 1, likewise OW
 *   y[n,o,i,j] = bias[o] + sum_{c,u,v} weight[o,c,u,v] * xpad[n, c, i*strideH + u - padH, j*strideW + v - padW]
 *   backward:  dbias[o] += sum dy[n,o,:,:]   dweight[o,c,u,v] += sum_{n,i,j} dy[n,o,i,j] * xpad[n,c,..]   dx = "full" correlation of dy with the kernel
 * </pre>
 *
 * The same arithmetic in plain loops, forward and backward on one screen: {@code lenet.engine.reference.Conv2d}.
 *
 * <p>Its backward computes all three gradients. The first layer of a network being trained needs no
 * dx; {@link Layers} then builds one of the subclasses, whose backward computes dweight and dbias only.
 */
sealed class Conv2d implements Module permits CorrelationWeightGradient, SimdWeightGradient {
    final LayerSpec.Conv2d spec;
    final INDArray weight, bias; // [OC, C, KH, KW], [OC]: views into the model's parameters, only read
    private final int[] args;    // libnd4j's conv2d / conv2d_bp arguments

    Conv2d(LayerSpec.Conv2d spec, INDArray weight, INDArray bias) {
        this.spec = spec;
        this.weight = weight;
        this.bias = bias;
        this.args = Nd4jArgs.conv2d(spec.window());
    }

    @Override
    public LayerSpec spec() {
        return spec;
    }

    @Override
    public INDArray forward(Tape tape, INDArray x) { // x [N, C, H, W] -> y [N, OC, OH, OW]
        Window w = spec.window();
        INDArray y = Nd4j.createUninitialized(x.dataType(), x.size(0), spec.outChannels(), w.outputHeight((int) x.size(2)), w.outputWidth((int) x.size(3)));
        Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(x, weight, bias).addOutputs(y).addIntegerArguments(args).build());
        tape.save(this, x);
        return y;
    }

    @Override
    public INDArray backward(Tape tape, INDArray dOut) { // dOut [N, OC, OH, OW] -> dx [N, C, H, W]
        INDArray x = tape.saved(this, INDArray.class);
        INDArray dx = Nd4j.createUninitialized(x.dataType(), x.shape());
        INDArray dWeight = Nd4j.createUninitialized(x.dataType(), weight.shape());
        INDArray dBias = Nd4j.createUninitialized(x.dataType(), spec.outChannels());
        Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(x, weight, bias, dOut).addOutputs(dx, dWeight, dBias)
                .addIntegerArguments(args).build());
        tape.grad(spec.name() + ".weight").addi(dWeight);
        tape.grad(spec.name() + ".bias").addi(dBias);
        return dx;
    }
}
