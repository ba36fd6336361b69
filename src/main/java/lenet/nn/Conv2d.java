package lenet.nn;

import lenet.model.Window;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * 2D convolution over NCHW input, as PyTorch's {@code nn.Conv2d}: a cross-correlation (the kernel
 * is NOT flipped), every output channel summing over every input channel.
 *
 * <pre>
 *   input  x [N, C, H, W]
 *   weight w [OC, C, KH, KW]          bias b [OC]
 *   output y [N, OC, OH, OW]          OH = floor((H + 2*padH - KH) / strideH) + 1, likewise OW
 *   y[n,o,i,j] = b[o] + sum_{c,u,v} w[o,c,u,v] * xpad[n, c, i*strideH + u, j*strideW + v]
 * </pre>
 *
 * A 1x1 convolution is the per-pixel matrix product y[:, :, i, j] = w[:, :, 0, 0] @ x[:, :, i, j].
 * Forward and backward run libnd4j's native conv2d / conv2d_bp kernels with the weight format set
 * to [OC, C, KH, KW], so weights move between this class and PyTorch unchanged.
 */
public final class Conv2d implements Layer {
    /** ND4J's integer arguments after the window: same-mode off, data format NCHW, weights OIHW. */
    private static final int SAME_MODE_OFF = 0, NCHW = 0, WEIGHTS_OIHW = 1;

    private final int inChannels;
    private final int outChannels;
    private final Window window;
    private final Param weight;
    private final Param bias; // null when the layer has no bias
    private final int[] opArgs;
    private INDArray input; // kept by forward for backward
    private boolean inputGradient = true;

    /** A layer with Xavier-uniform weights and zero bias (or none when {@code withBias} is false). */
    public Conv2d(String name, int inChannels, int outChannels, Window window, boolean withBias, Random rng) {
        this(name, inChannels, outChannels, window,
                Init.xavierUniform(rng, outChannels, inChannels, window.kernelH(), window.kernelW()),
                withBias ? Init.zeros(outChannels) : null);
    }

    /** A layer with the given weight [OC, C, KH, KW] and bias [OC] (null for none). */
    public Conv2d(String name, int inChannels, int outChannels, Window window, INDArray weight, INDArray bias) {
        this(inChannels, outChannels, window, Param.of(name + ".weight", weight),
                bias == null ? null : Param.of(name + ".bias", bias.reshape(outChannels)));
    }

    /** A layer over existing parameters (e.g. views into a {@link ParamBlock}): weight [OC, C, KH, KW], bias [OC] or null. */
    public Conv2d(int inChannels, int outChannels, Window window, Param weight, Param bias) {
        long[] expected = {outChannels, inChannels, window.kernelH(), window.kernelW()};
        if (!java.util.Arrays.equals(weight.shape(), expected)) {
            throw new IllegalArgumentException(weight.name() + " must be " + java.util.Arrays.toString(expected)
                    + ", is " + java.util.Arrays.toString(weight.shape()));
        }
        if (bias != null && !java.util.Arrays.equals(bias.shape(), new long[] {outChannels})) {
            throw new IllegalArgumentException(bias.name() + " must be [" + outChannels + "], is " + java.util.Arrays.toString(bias.shape()));
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.window = window;
        this.weight = weight;
        this.bias = bias;
        int[] w = Nd4jArgs.window(window);
        this.opArgs = new int[] {w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], SAME_MODE_OFF, NCHW, WEIGHTS_OIHW};
    }

    @Override
    public INDArray forward(INDArray x) {
        requireInput(x);
        input = x;
        long n = x.size(0);
        INDArray y = Nd4j.createUninitialized(x.dataType(),
                n, outChannels, window.outputHeight((int) x.size(2)), window.outputWidth((int) x.size(3)));
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d").addInputs(inputs(x, null))
                .addOutputs(y).addIntegerArguments(opArgs);
        Nd4j.exec(op.build());
        return y;
    }

    /**
     * dInput is the "full" correlation of dOut with the kernel; dWeight[o,c,u,v] = sum over n,i,j of
     * dOut[n,o,i,j] * xpad[n,c,i*s+u,j*s+v]; dBias[o] = sum of dOut[n,o,:,:].
     */
    @Override
    public INDArray backward(INDArray dOut) {
        if (!inputGradient && window.strideH() == 1 && window.strideW() == 1) {
            addWeightGradientByCorrelation(dOut);
            return null;
        }
        INDArray dInput = Nd4j.createUninitialized(input.dataType(), input.shape());
        INDArray dWeight = Nd4j.createUninitialized(input.dataType(), weight.shape());
        List<INDArray> outs = new ArrayList<>(List.of(dInput, dWeight));
        if (bias != null) outs.add(Nd4j.createUninitialized(input.dataType(), outChannels));
        Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(inputs(input, dOut))
                .addOutputs(outs.toArray(INDArray[]::new)).addIntegerArguments(opArgs).build());
        weight.grad().addi(dWeight);
        if (bias != null) bias.grad().addi(outs.get(2));
        return dInput;
    }

    /**
     * Stops computing dInput: the first layer of a network being trained has no use for the
     * gradient with respect to the images, and in LeNet it is the costliest part of conv1's backward.
     * {@link #backward} then returns null.
     */
    public void skipInputGradient() {
        inputGradient = false;
    }

    /**
     * dWeight and dBias alone, for stride 1. dWeight[o,c,u,v] = sum over n,i,j of
     * dOut[n,o,i,j] * xpad[n,c,i+u,j+v] is itself a cross-correlation: of the input with the batch
     * taken as channels, [C, N, H, W], by dOut taken as an [OC, N, OH, OW] kernel, giving
     * [C, OC, KH, KW] (the padded input is H+2p wide, the "kernel" OH = H+2p-KH+1, so KH positions
     * remain). The forward kernel runs it, much faster than the general conv2d_bp. With one input
     * channel and the vector module, {@link SimdWeightGradient} computes the same sums faster still,
     * without transposing dOut.
     */
    private void addWeightGradientByCorrelation(INDArray dOut) {
        if (Simd.AVAILABLE && SimdWeightGradient.fits(input, dOut)) {
            SimdWeightGradient.accumulate(input, dOut, window.padH(), window.padW(), weight.grad(), bias == null ? null : bias.grad());
            return;
        }
        long n = input.size(0);
        INDArray batchAsChannels = inChannels == 1
                ? input.reshape('c', 1, n, input.size(2), input.size(3))
                : input.permute(1, 0, 2, 3).dup('c');
        INDArray kernel = dOut.permute(1, 0, 2, 3).dup('c');
        INDArray dWeightT = Nd4j.createUninitialized(input.dataType(), inChannels, outChannels, window.kernelH(), window.kernelW());
        Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(batchAsChannels, kernel).addOutputs(dWeightT)
                .addIntegerArguments((int) dOut.size(2), (int) dOut.size(3), 1, 1, window.padH(), window.padW(), 1, 1,
                        SAME_MODE_OFF, NCHW, WEIGHTS_OIHW)
                .build());
        weight.grad().addi(dWeightT.permute(1, 0, 2, 3));
        if (bias != null) bias.grad().addi(dOut.sum(0, 2, 3));
    }

    private INDArray[] inputs(INDArray x, INDArray dOut) {
        List<INDArray> in = new ArrayList<>(List.of(x, weight.value()));
        if (bias != null) in.add(bias.value());
        if (dOut != null) in.add(dOut);
        return in.toArray(INDArray[]::new);
    }

    private void requireInput(INDArray x) {
        if (x.rank() != 4 || x.size(1) != inChannels) {
            throw new IllegalArgumentException("Conv2d expects [N, " + inChannels + ", H, W], got "
                    + java.util.Arrays.toString(x.shape()));
        }
    }

    @Override
    public List<Param> params() {
        return bias == null ? List.of(weight) : List.of(weight, bias);
    }

    public Window window() {
        return window;
    }

    public int outChannels() {
        return outChannels;
    }

    @Override
    public String describe() {
        return "Conv2d(" + inChannels + "->" + outChannels + ", " + window + ")";
    }
}
