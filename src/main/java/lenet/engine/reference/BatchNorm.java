package lenet.engine.reference;

import java.util.LinkedHashMap;
import java.util.Map;
import lenet.model.LayerSpec;

/**
 * Batch normalisation, PyTorch's {@code nn.BatchNorm2d} on [N, C, H, W] and {@code nn.BatchNorm1d} on
 * [N, C]: both are [N, C, S] here, with S = H*W or 1. Each channel c is normalised over its
 * M = N*S values, then scaled and shifted:
 *
 * <pre>
 *   TRAIN   mean[c] = (1/M) sum x        var[c] = (1/M) sum (x - mean)^2      (biased)
 *           xhat = (x - mean) / sqrt(var + eps)        y = weight[c] * xhat + bias[c]
 *           running_mean' = (1 - momentum) running_mean + momentum * mean
 *           running_var'  = (1 - momentum) running_var  + momentum * var * M / (M - 1)   (unbiased)
 *           num_batches_tracked' = num_batches_tracked + 1
 *   EVAL    xhat = (x - running_mean) / sqrt(running_var + eps),   y as above, buffers unchanged
 * </pre>
 *
 * The new buffers go to the context, not into the model (the training step applies them).
 * Backward, with dxhat = dy * weight[c] and sums over a channel's M values:
 *
 * <pre>
 *   dbias[c] += sum dy       dweight[c] += sum dy * xhat
 *   TRAIN   dx = (1 / (M sqrt(var + eps))) * (M dxhat - sum dxhat - xhat * sum (dxhat * xhat))
 *   EVAL    dx = dxhat / sqrt(running_var + eps)
 * </pre>
 *
 * (In train mode mean and var depend on every x of the channel; the two sums are that dependence.)
 */
final class BatchNorm implements Module, Elementwise {
    private final LayerSpec.BatchNorm spec;
    private final int C, S;
    private final double eps, momentum;
    private final double[] weight, bias;                            // [C], the model's, only read
    private final double[] runningMean, runningVar, batchesTracked; // [C], [C], [1]

    BatchNorm(LayerSpec.BatchNorm spec, int[] in, Map<String, double[]> arrays) {
        this.spec = spec;
        C = in[0];
        S = Checks.size(in) / C;
        eps = spec.eps();
        momentum = spec.momentum();
        String name = spec.name();
        weight = Checks.require(name + ".weight", arrays.get(name + ".weight"), C);
        bias = Checks.require(name + ".bias", arrays.get(name + ".bias"), C);
        runningMean = Checks.require(name + ".running_mean", arrays.get(name + ".running_mean"), C);
        runningVar = Checks.require(name + ".running_var", arrays.get(name + ".running_var"), C);
        batchesTracked = Checks.require(name + ".num_batches_tracked", arrays.get(name + ".num_batches_tracked"), 1);
    }

    /** What backward needs: xhat [N, C, S] and each channel's 1 / sqrt(var + eps) (batch's or running). */
    private record Saved(double[] xhat, double[] invStd) {}

    @Override
    public LayerSpec spec() {
        return spec;
    }

    @Override
    public double[] forward(Context ctx, double[] x) { // x [N, C, S] -> y [N, C, S]
        double[] xhat = new double[x.length], y = new double[x.length], invStd = new double[C];
        if (ctx.mode == Mode.EVAL) {
            for (int k = 0; k < x.length; k++) {
                int c = (k / S) % C;
                xhat[k] = (x[k] - runningMean[c]) / Math.sqrt(runningVar[c] + eps);
                y[k] = xhat[k] * weight[c] + bias[c];
            }
            for (int c = 0; c < C; c++) invStd[c] = 1 / Math.sqrt(runningVar[c] + eps);
            ctx.save(this, new Saved(xhat, invStd));
            return y;
        }
        int M = ctx.n * S;
        if (M < 2) throw new IllegalArgumentException(spec.name() + ": batch norm in train mode needs more than one value per channel, got a batch of " + ctx.n);
        double[] newMean = new double[C], newVar = new double[C];
        for (int c = 0; c < C; c++) {
            double sum = 0;
            for (int n = 0; n < ctx.n; n++) for (int s = 0; s < S; s++) sum += x[(n * C + c) * S + s];
            double mean = sum / M;
            double squares = 0;
            for (int n = 0; n < ctx.n; n++) for (int s = 0; s < S; s++) squares += sq(x[(n * C + c) * S + s] - mean);
            double var = squares / M;
            invStd[c] = 1 / Math.sqrt(var + eps);
            for (int n = 0; n < ctx.n; n++) {
                for (int s = 0; s < S; s++) {
                    int k = (n * C + c) * S + s;
                    xhat[k] = (x[k] - mean) * invStd[c];
                    y[k] = xhat[k] * weight[c] + bias[c];
                }
            }
            newMean[c] = (1 - momentum) * runningMean[c] + momentum * mean;
            newVar[c] = (1 - momentum) * runningVar[c] + momentum * squares / (M - 1);
        }
        ctx.setNewBuffer(spec.name() + ".running_mean", newMean);
        ctx.setNewBuffer(spec.name() + ".running_var", newVar);
        ctx.setNewBuffer(spec.name() + ".num_batches_tracked", new double[] {batchesTracked[0] + 1});
        ctx.save(this, new Saved(xhat, invStd));
        return y;
    }

    @Override
    public double[] backward(Context ctx, double[] dOut) { // dOut [N, C, S] -> dx [N, C, S]
        Saved saved = ctx.saved(this, Saved.class);
        double[] xhat = saved.xhat(), dx = new double[dOut.length];
        double[] dWeight = ctx.grad(spec.name() + ".weight", C);
        double[] dBias = ctx.grad(spec.name() + ".bias", C);
        int M = ctx.n * S;
        for (int c = 0; c < C; c++) {
            double sumDy = 0, sumDyXhat = 0;
            for (int n = 0; n < ctx.n; n++) {
                for (int s = 0; s < S; s++) {
                    int k = (n * C + c) * S + s;
                    sumDy += dOut[k];
                    sumDyXhat += dOut[k] * xhat[k];
                }
            }
            dBias[c] += sumDy;
            dWeight[c] += sumDyXhat;
            // sum dxhat = weight * sum dy, and sum dxhat * xhat = weight * sum dy * xhat
            for (int n = 0; n < ctx.n; n++) {
                for (int s = 0; s < S; s++) {
                    int k = (n * C + c) * S + s;
                    double dxhat = dOut[k] * weight[c];
                    dx[k] = ctx.mode == Mode.EVAL
                            ? dxhat * saved.invStd()[c]
                            : saved.invStd()[c] / M * (M * dxhat - weight[c] * sumDy - xhat[k] * weight[c] * sumDyXhat);
                }
            }
        }
        return dx;
    }

    /** Eval mode on one value of channel c, by forward's arithmetic. */
    @Override
    public Explanation.Step apply(int c, double x) {
        double xhat = (x - runningMean[c]) / Math.sqrt(runningVar[c] + eps);
        Map<String, Double> constants = new LinkedHashMap<>();
        constants.put("running_mean", runningMean[c]);
        constants.put("running_var", runningVar[c]);
        constants.put("eps", eps);
        constants.put("weight", weight[c]);
        constants.put("bias", bias[c]);
        return new Explanation.Step(spec.name(), spec.describe(), x, xhat * weight[c] + bias[c], java.util.Collections.unmodifiableMap(constants));
    }

    private static double sq(double v) {
        return v * v;
    }
}
