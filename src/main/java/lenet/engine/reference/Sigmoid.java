package lenet.engine.reference;

import java.util.Map;
import lenet.model.LayerSpec;

/**
 * The logistic function, elementwise, any shape:
 *
 * <pre>
 *   y = s(x) = 1 / (1 + e^-x)          dx = dy * s'(x) = dy * y * (1 - y)
 * </pre>
 *
 * Forward keeps y, from which backward gets the slope.
 */
final class Sigmoid implements Module, Elementwise {
    private final LayerSpec.Act spec;

    Sigmoid(LayerSpec.Act spec) {
        this.spec = spec;
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    @Override
    public LayerSpec spec() {
        return spec;
    }

    @Override
    public double[] forward(Context ctx, double[] x) {
        double[] y = new double[x.length];
        for (int k = 0; k < x.length; k++) y[k] = sigmoid(x[k]);
        ctx.save(this, y);
        return y;
    }

    @Override
    public double[] backward(Context ctx, double[] dOut) {
        double[] y = ctx.saved(this, double[].class);
        double[] dx = new double[y.length];
        for (int k = 0; k < y.length; k++) dx[k] = dOut[k] * y[k] * (1 - y[k]);
        return dx;
    }

    @Override
    public Explanation.Step apply(int feature, double x) {
        return new Explanation.Step(spec.name(), spec.describe(), x, sigmoid(x), Map.of());
    }
}
