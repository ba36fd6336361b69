package lenet.engine.reference;

import java.util.Map;
import lenet.model.LayerSpec;

/**
 * The rectifier, elementwise, any shape:
 *
 * <pre>
 *   y = max(0, x)          dx = dy where y > 0, else 0   (PyTorch's choice of slope 0 at x = 0)
 * </pre>
 */
final class ReLU implements Module, Elementwise {
    private final LayerSpec.Act spec;

    ReLU(LayerSpec.Act spec) {
        this.spec = spec;
    }

    static double relu(double x) {
        return x > 0 ? x : x == x ? 0 : x; // NaN passes through, as in PyTorch
    }

    @Override
    public LayerSpec spec() {
        return spec;
    }

    @Override
    public double[] forward(Context ctx, double[] x) {
        double[] y = new double[x.length];
        for (int k = 0; k < x.length; k++) y[k] = relu(x[k]);
        ctx.save(this, y);
        return y;
    }

    @Override
    public double[] backward(Context ctx, double[] dOut) {
        double[] y = ctx.saved(this, double[].class);
        double[] dx = new double[y.length];
        for (int k = 0; k < y.length; k++) dx[k] = y[k] > 0 ? dOut[k] : 0;
        return dx;
    }

    @Override
    public Explanation.Step apply(int feature, double x) {
        return new Explanation.Step(spec.name(), spec.describe(), x, relu(x), Map.of());
    }
}
