package lenet.engine.nd4j;

import lenet.model.LayerSpec;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A stride-1 convolution whose backward gives dweight and dbias only, for the first layer of a
 * network being trained: nobody needs the gradient with respect to the images, and in LeNet dx is
 * the costliest part of conv1's backward. Forward is {@link Conv2d}'s; backward returns null.
 *
 * <p>dweight[o,c,u,v] = sum over n,i,j of dy[n,o,i,j] * xpad[n,c,i+u,j+v] is itself a
 * cross-correlation: of the input with the batch taken as channels, [C, N, H, W], by dy taken as an
 * [OC, N, OH, OW] kernel, giving [C, OC, KH, KW] (the padded input is H + 2p high and the "kernel"
 * OH = H + 2p - KH + 1, so KH positions remain). libnd4j's forward conv2d runs it, much faster than
 * the general conv2d_bp. {@link SimdWeightGradient} computes the same sums with the vector API.
 */
final class CorrelationWeightGradient extends Conv2d {
    CorrelationWeightGradient(LayerSpec.Conv2d spec, INDArray weight, INDArray bias) {
        super(spec, weight, bias);
        if (spec.window().strideH() != 1 || spec.window().strideW() != 1) throw new IllegalArgumentException(spec.name() + ": the correlation needs stride 1");
    }

    @Override
    public INDArray backward(Tape tape, INDArray dOut) { // dOut [N, OC, OH, OW] -> no dx
        INDArray x = tape.saved(this, INDArray.class);
        long n = x.size(0);
        int c = spec.inChannels(), oc = spec.outChannels();
        // [N, C, H, W] -> [C, N, H, W]: a view when C = 1, else a transposed copy
        INDArray batchAsChannels = c == 1 ? x.reshape('c', 1, n, x.size(2), x.size(3)) : x.permute(1, 0, 2, 3).dup('c');
        INDArray kernel = dOut.permute(1, 0, 2, 3).dup('c'); // [OC, N, OH, OW]
        INDArray dWeightT = Nd4j.createUninitialized(x.dataType(), c, oc, spec.window().kernelH(), spec.window().kernelW());
        int[] args = Nd4jArgs.conv2d((int) dOut.size(2), (int) dOut.size(3), 1, 1, spec.window().padH(), spec.window().padW());
        Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(batchAsChannels, kernel).addOutputs(dWeightT).addIntegerArguments(args).build());
        tape.grad(spec.name() + ".weight").addi(dWeightT.permute(1, 0, 2, 3));
        tape.grad(spec.name() + ".bias").addi(dOut.sum(0, 2, 3));
        return null;
    }
}
