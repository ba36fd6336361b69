package lenet.engine.reference;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import lenet.model.LayerSpec;

/**
 * A fully connected layer, PyTorch's {@code nn.Linear}:
 *
 * <pre>
 *   x [N, IN]   weight [OUT, IN]   bias [OUT]   ->   y [N, OUT]
 *   y[n,o] = bias[o] + sum_k weight[o,k] * x[n,k]
 *
 *   dbias[o] += dy[n,o]        dweight[o,k] += dy[n,o] * x[n,k]        dx[n,k] += dy[n,o] * weight[o,k]
 * </pre>
 */
final class Linear implements Module, Explainable {
    private final LayerSpec.Linear spec;
    private final int IN, OUT;
    private final double[] weight, bias; // [OUT, IN], [OUT]: the model's, only read

    Linear(LayerSpec.Linear spec, double[] weight, double[] bias) {
        this.spec = spec;
        IN = spec.in();
        OUT = spec.out();
        this.weight = Checks.require(spec.name() + ".weight", weight, OUT * IN);
        this.bias = Checks.require(spec.name() + ".bias", bias, OUT);
    }

    @Override
    public LayerSpec spec() {
        return spec;
    }

    @Override
    public double[] forward(Context ctx, double[] x) { // x [N, IN] -> y [N, OUT]
        double[] y = new double[ctx.n * OUT];
        for (int n = 0; n < ctx.n; n++) {
            for (int o = 0; o < OUT; o++) y[n * OUT + o] = dot(x, n * IN, o, null) + bias[o];
        }
        ctx.save(this, x);
        return y;
    }

    /** sum_k weight[o,k] * x[base + k], added in k order; each product shown to {@code terms} unless null. */
    private double dot(double[] x, int base, int o, Terms terms) {
        double sum = 0;
        for (int k = 0; k < IN; k++) {
            double w = weight[o * IN + k], xv = x[base + k];
            sum += w * xv;
            if (terms != null) terms.term(k, w, xv, w * xv);
        }
        return sum;
    }

    @Override
    public double[] backward(Context ctx, double[] dOut) { // dOut [N, OUT] -> dx [N, IN]
        double[] x = ctx.saved(this, double[].class);
        double[] dx = new double[ctx.n * IN];
        double[] dWeight = ctx.grad(spec.name() + ".weight", weight.length);
        double[] dBias = ctx.grad(spec.name() + ".bias", bias.length);
        for (int n = 0; n < ctx.n; n++) {
            for (int o = 0; o < OUT; o++) {
                double g = dOut[n * OUT + o];
                dBias[o] += g;
                for (int k = 0; k < IN; k++) {
                    dWeight[o * IN + k] += g * x[n * IN + k];
                    dx[n * IN + k] += g * weight[o * IN + k];
                }
            }
        }
        return dx;
    }

    /** Unit o of one sample's output, from its input x [IN]: {@code index} is {o}. */
    @Override
    public Explanation.DenseUnit explain(double[] x, int[] index, String inputStage, Then then) {
        Checks.index(spec.name(), index, new int[] {OUT});
        int o = index[0];
        List<Explanation.Contribution> contributions = new ArrayList<>(IN);
        double sum = dot(x, 0, o, (k, w, xv, p) -> contributions.add(new Explanation.Contribution(k, w, xv, p)));
        contributions.sort(Comparator.comparingDouble((Explanation.Contribution c) -> -Math.abs(c.product()))
                .thenComparingInt(Explanation.Contribution::input));
        double value = sum + bias[o]; // as forward
        return new Explanation.DenseUnit(spec.name(), inputStage, o, List.copyOf(contributions), sum, bias[o], value, then.after(o, value));
    }

    @FunctionalInterface
    private interface Terms {
        void term(int k, double w, double x, double product);
    }
}
