package lenet.model;

import java.util.List;

/**
 * One layer of a network, as data: what it computes and the arrays it owns, never how. Engines
 * ({@code lenet.engine}) turn a list of these into code that runs. Shapes here are per sample,
 * without the batch axis: {@code [C, H, W]} for images and maps, {@code [F]} for vectors.
 */
public sealed interface LayerSpec {
    /** Unique within a model; the prefix of its arrays' names ({@code conv1} owns {@code conv1.weight}). */
    String name();

    /** The shape of one sample's output for one sample's input of shape {@code in}. */
    int[] outputShape(int[] in);

    /** The trained arrays, in order. */
    default List<TensorSpec> parameters() {
        return List.of();
    }

    /** State that is saved with the model but not trained (batch norm's running statistics). */
    default List<TensorSpec> buffers() {
        return List.of();
    }

    /** A short description for summaries and pages, e.g. {@code Conv2d(1->6, 5x5, pad 2)}. */
    String describe();

    /** Calls the visitor's method for this kind of layer. */
    <R> R accept(Visitor<R> visitor);

    /**
     * One method per kind of layer: an engine turns specs into code by implementing it, so a new
     * kind of layer fails to compile in every engine until each has code for it.
     */
    interface Visitor<R> {
        R conv2d(Conv2d layer);

        R pool2d(Pool2d layer);

        R act(Act layer);

        R flatten(Flatten layer);

        R linear(Linear layer);

        R batchNorm(BatchNorm layer);
    }

    /**
     * 2D cross-correlation over [C, H, W] (PyTorch's {@code nn.Conv2d}; the kernel is not flipped):
     * weight [OC, C, KH, KW], bias [OC], output [OC, OH, OW] with OH = floor((H + 2 padH - KH) / strideH) + 1.
     */
    record Conv2d(String name, int inChannels, int outChannels, Window window) implements LayerSpec {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.conv2d(this);
        }

        @Override
        public int[] outputShape(int[] in) {
            require(this, in, 3);
            if (in[0] != inChannels) throw new IllegalArgumentException(name + " expects " + inChannels + " channels, got " + in[0]);
            return new int[] {outChannels, window.outputHeight(in[1]), window.outputWidth(in[2])};
        }

        @Override
        public List<TensorSpec> parameters() {
            return List.of(
                    new TensorSpec(name + ".weight", new long[] {outChannels, inChannels, window.kernelH(), window.kernelW()}, TensorSpec.Fill.XAVIER),
                    new TensorSpec(name + ".bias", new long[] {outChannels}, TensorSpec.Fill.ZEROS));
        }

        @Override
        public String describe() {
            return "Conv2d(" + inChannels + "->" + outChannels + ", " + window + ")";
        }
    }

    /** Max or average pooling over each channel separately: [C, H, W] to [C, OH, OW]; no arrays. */
    record Pool2d(String name, Pooling kind, Window window) implements LayerSpec {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.pool2d(this);
        }

        @Override
        public int[] outputShape(int[] in) {
            require(this, in, 3);
            return new int[] {in[0], window.outputHeight(in[1]), window.outputWidth(in[2])};
        }

        @Override
        public String describe() {
            return (kind == Pooling.AVG ? "AvgPool2d(" : "MaxPool2d(") + window + ")";
        }
    }

    /** An elementwise nonlinearity; the shape is unchanged. */
    record Act(String name, Activation kind) implements LayerSpec {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.act(this);
        }

        @Override
        public int[] outputShape(int[] in) {
            return in.clone();
        }

        @Override
        public String describe() {
            return kind == Activation.SIGMOID ? "Sigmoid" : "ReLU";
        }
    }

    /** [C, H, W] to [C*H*W] in C, H, W order (row-major), as PyTorch's {@code nn.Flatten}. */
    record Flatten(String name) implements LayerSpec {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.flatten(this);
        }

        @Override
        public int[] outputShape(int[] in) {
            int n = 1;
            for (int d : in) n *= d;
            return new int[] {n};
        }

        @Override
        public String describe() {
            return "Flatten";
        }
    }

    /** A fully connected layer y = W x + b (PyTorch's {@code nn.Linear}): weight [out, in], bias [out]. */
    record Linear(String name, int in, int out) implements LayerSpec {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.linear(this);
        }

        @Override
        public int[] outputShape(int[] shape) {
            require(this, shape, 1);
            if (shape[0] != in) throw new IllegalArgumentException(name + " expects " + in + " inputs, got " + shape[0]);
            return new int[] {out};
        }

        @Override
        public List<TensorSpec> parameters() {
            return List.of(
                    new TensorSpec(name + ".weight", new long[] {out, in}, TensorSpec.Fill.XAVIER),
                    new TensorSpec(name + ".bias", new long[] {out}, TensorSpec.Fill.ZEROS));
        }

        @Override
        public String describe() {
            return "Linear(" + in + "->" + out + ")";
        }
    }

    /**
     * Batch normalisation (PyTorch's {@code nn.BatchNorm2d} for [C, H, W] input, {@code nn.BatchNorm1d}
     * for [F]): each feature (channel) normalised by the batch's mean and biased variance in train mode,
     * by the running estimates in eval mode, then scaled by weight and shifted by bias.
     * Running estimates: r = (1 - momentum) r + momentum * batch statistic, with the UNBIASED batch
     * variance; num_batches_tracked counts train-mode batches.
     *
     * @param features C for maps, F for vectors
     * @param eps      added to the variance before the square root (PyTorch: 1e-5)
     * @param momentum weight of the newest batch in the running estimates (PyTorch: 0.1)
     */
    record BatchNorm(String name, int features, double eps, double momentum) implements LayerSpec {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.batchNorm(this);
        }

        @Override
        public int[] outputShape(int[] in) {
            if (in[0] != features) throw new IllegalArgumentException(name + " expects " + features + " features, got " + in[0]);
            return in.clone();
        }

        @Override
        public List<TensorSpec> parameters() {
            return List.of(
                    new TensorSpec(name + ".weight", new long[] {features}, TensorSpec.Fill.ONES),
                    new TensorSpec(name + ".bias", new long[] {features}, TensorSpec.Fill.ZEROS));
        }

        @Override
        public List<TensorSpec> buffers() {
            return List.of(
                    new TensorSpec(name + ".running_mean", new long[] {features}, TensorSpec.Fill.ZEROS),
                    new TensorSpec(name + ".running_var", new long[] {features}, TensorSpec.Fill.ONES),
                    new TensorSpec(name + ".num_batches_tracked", new long[] {}, TensorSpec.Fill.ZEROS));
        }

        @Override
        public String describe() {
            return "BatchNorm(" + features + ")";
        }
    }

    private static void require(LayerSpec layer, int[] in, int rank) {
        if (in.length != rank) {
            throw new IllegalArgumentException(layer.name() + " expects " + (rank == 3 ? "[C, H, W]" : "[F]") + " input, got rank " + in.length);
        }
    }
}
