package lenet.engine.reference;

import lenet.model.LayerSpec;

/**
 * [N, C, H, W] to [N, C*H*W] in C, H, W order, as PyTorch's {@code nn.Flatten}: row-major memory
 * already holds the values in that order, so both directions pass the array through unchanged.
 */
final class Flatten implements Module {
    private final LayerSpec.Flatten spec;

    Flatten(LayerSpec.Flatten spec) {
        this.spec = spec;
    }

    @Override
    public LayerSpec spec() {
        return spec;
    }

    @Override
    public double[] forward(Context ctx, double[] x) {
        return x;
    }

    @Override
    public double[] backward(Context ctx, double[] dOut) {
        return dOut;
    }
}
