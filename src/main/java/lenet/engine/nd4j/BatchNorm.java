package lenet.engine.nd4j;

import lenet.model.LayerSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Broadcast;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Batch normalisation, PyTorch's {@code nn.BatchNorm2d} on [N, C, H, W] and {@code nn.BatchNorm1d} on
 * [N, C]: both are viewed as [N, C, S] here, S = H*W or 1, and each channel c is normalised over its
 * M = N*S values, then scaled and shifted (per-channel vectors are broadcast along axis 1):
 *
 * <pre>
 *   TRAIN   mean[c] = (1/M) sum x        var[c] = (1/M) sum (x - mean)^2      (biased)
 *           xhat = (x - mean) / sqrt(var + eps)        y = weight[c] * xhat + bias[c]
 *           running_mean' = (1 - momentum) running_mean + momentum * mean
 *           running_var'  = (1 - momentum) running_var  + momentum * var * M / (M - 1)   (unbiased)
 *           num_batches_tracked' = num_batches_tracked + 1
 *   EVAL    xhat = (x - running_mean) / sqrt(running_var + eps),   y as above, buffers unchanged
 *
 *   backward, with sums over a channel's M values:
 *           dbias[c] += sum dy        dweight[c] += sum dy * xhat
 *   TRAIN   dx = weight / sqrt(var + eps) * (dy - (1/M) sum dy - xhat * (1/M) sum dy * xhat)
 *   EVAL    dx = weight / sqrt(running_var + eps) * dy
 * </pre>
 *
 * (In train mode mean and var depend on every x of the channel; the two sums are that dependence.)
 * The per-channel sums (mean and variance, and backward's sum dy and sum dy * xhat) run over up to
 * N*H*W values, 73,728 for bn1 at batch 128, so they are accumulated in double, as PyTorch does on
 * the CPU; everything else is in the model's type. The new buffers go to the tape, not into the model: the training step applies them. The same
 * arithmetic in plain loops: {@code lenet.engine.reference.BatchNorm}.
 */
final class BatchNorm implements Module {
    private final LayerSpec.BatchNorm spec;
    private final int C;
    private final INDArray weight, bias;                            // [C]: views into the model's parameters, only read
    private final INDArray runningMean, runningVar, batchesTracked; // [C], [C], []: the model's buffers, only read

    BatchNorm(LayerSpec.BatchNorm spec, INDArray weight, INDArray bias, INDArray runningMean, INDArray runningVar, INDArray batchesTracked) {
        this.spec = spec;
        this.C = spec.features();
        this.weight = weight;
        this.bias = bias;
        this.runningMean = runningMean;
        this.runningVar = runningVar;
        this.batchesTracked = batchesTracked;
    }

    /** What backward needs: xhat [N, C, S] and each channel's 1 / sqrt(var + eps), the batch's or the running one. */
    private record Saved(INDArray xhat, INDArray invStd) {}

    @Override
    public LayerSpec spec() {
        return spec;
    }

    @Override
    public INDArray forward(Tape tape, INDArray x) { // x [N, C, ...] -> y of the same shape
        INDArray x3 = x.reshape('c', tape.n, C, x.length() / ((long) tape.n * C));
        INDArray mean, invStd; // [C], in x's type
        if (tape.mode == Mode.TRAIN) {
            long m = x3.size(0) * x3.size(2);
            if (m < 2) throw new IllegalArgumentException(spec.name() + ": batch norm in train mode needs more than one value per channel, got a batch of " + tape.n);
            // The statistics are sums of M values (73,728 for bn1 at batch 128): accumulated in double, as PyTorch does on the CPU.
            INDArray xd = x3.castTo(DataType.DOUBLE);
            INDArray meanD = xd.mean(0, 2);
            INDArray centered = Broadcast.sub(xd, meanD, xd.ulike(), 1);
            INDArray var = centered.muli(centered).mean(0, 2);                       // biased
            mean = meanD.castTo(x.dataType());
            invStd = Transforms.sqrt(var.add(spec.eps()), false).rdivi(1.0).castTo(x.dataType());
            double momentum = spec.momentum();
            tape.setNewBuffer(spec.name() + ".running_mean", runningMean.mul(1 - momentum).addi(mean.mul(momentum)));
            tape.setNewBuffer(spec.name() + ".running_var", runningVar.mul(1 - momentum).addi(var.muli(momentum * m / (m - 1)).castTo(x.dataType())));
            tape.setNewBuffer(spec.name() + ".num_batches_tracked", batchesTracked.add(1));
        } else {
            mean = runningMean;
            invStd = Transforms.sqrt(runningVar.add(spec.eps()), false).rdivi(1.0);
        }
        INDArray xhat = Broadcast.sub(x3, mean, x3.ulike(), 1); // (x - mean) / sqrt(var + eps)
        Broadcast.mul(xhat, invStd, xhat, 1);
        INDArray y = Broadcast.mul(xhat, weight, xhat.ulike(), 1);
        Broadcast.add(y, bias, y, 1);
        tape.save(this, new Saved(xhat, invStd));
        return y.reshape('c', x.shape());
    }

    @Override
    public INDArray backward(Tape tape, INDArray dOut) { // dOut [N, C, ...] -> dx of the same shape
        Saved saved = tape.saved(this, Saved.class);
        INDArray xhat = saved.xhat();
        INDArray dy = dOut.reshape('c', xhat.shape());
        // sums over a channel's M values, accumulated in double as the statistics are
        INDArray dyD = dy.castTo(DataType.DOUBLE);
        INDArray sumDy = dyD.sum(0, 2).castTo(dy.dataType()), sumDyXhat = dyD.mul(xhat.castTo(DataType.DOUBLE)).sum(0, 2).castTo(dy.dataType()); // [C]
        tape.grad(spec.name() + ".weight").addi(sumDyXhat);
        tape.grad(spec.name() + ".bias").addi(sumDy);
        INDArray scale = weight.mul(saved.invStd()); // weight / sqrt(var + eps), [C]
        INDArray dx;
        if (tape.mode == Mode.TRAIN) {
            long m = xhat.size(0) * xhat.size(2);
            INDArray meanDy = sumDy.div(m), meanDyXhat = sumDyXhat.div(m);
            dx = Broadcast.mul(xhat, meanDyXhat, xhat.ulike(), 1).rsubi(dy); // dy - xhat * mean(dy xhat)
            Broadcast.sub(dx, meanDy, dx, 1);                                // - mean(dy)
            Broadcast.mul(dx, scale, dx, 1);
        } else {
            dx = Broadcast.mul(dy, scale, dy.ulike(), 1);
        }
        return dx.reshape('c', dOut.shape());
    }
}
