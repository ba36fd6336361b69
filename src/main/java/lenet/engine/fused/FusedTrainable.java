package lenet.engine.fused;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lenet.engine.Sgd;
import lenet.engine.Trainable;
import lenet.io.NdArray;
import lenet.model.ModelSpec;
import lenet.model.ModelState;
import lenet.model.TensorSpec;

/** Training on the fused engine: {@link FusedLeNet#step}, with the parameters and velocities as the trainer saves them. */
final class FusedTrainable implements Trainable {
    private final ModelSpec spec;
    private final FusedLeNet net;

    FusedTrainable(ModelSpec spec, FusedLeNet net) {
        this.spec = spec;
        this.net = net;
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public StepResult step(float[] input, int[] labels, int n, double lr) {
        FusedEngine.checkBatch(spec, input, labels, n);
        FusedLeNet.StepResult r = net.step(input, labels, n, lr);
        return new StepResult(r.loss(), r.correct());
    }

    @Override
    public float[] logits(float[] input, int n) {
        FusedEngine.checkBatch(spec, input, null, n);
        return net.logits(input, n);
    }

    @Override
    public ModelState state() {
        return new ModelState(arrays(net.params(), ""), Map.of());
    }

    @Override
    public Map<String, NdArray> optimizerState() {
        return arrays(net.momentum(), Sgd.STATE_PREFIX);
    }

    private Map<String, NdArray> arrays(Map<String, float[]> values, String prefix) {
        Map<String, NdArray> out = new LinkedHashMap<>();
        for (TensorSpec t : spec.parameters()) out.put(prefix + t.name(), new NdArray(t.shape(), values.get(t.name())));
        return out;
    }

    /**
     * The fused kernels' table (see {@link FusedLeNet#profile}): per kernel, median ms per step,
     * GFLOP/s and its share of the machine's peak as measured by {@link FusedLeNet#peakGflops}
     * (last row). The parameters and velocities are put back afterwards, so profiling changes nothing.
     */
    @Override
    public Map<String, double[]> profile(float[] input, int[] labels, int n, int reps) {
        FusedEngine.checkBatch(spec, input, labels, n);
        if (reps < 1) throw new IllegalArgumentException("profiling needs at least one step, got " + reps);
        Map<String, float[]> params = net.params(), momentum = net.momentum();
        Map<String, double[]> raw;
        try {
            raw = net.profile(input, labels, n, 0.01, reps);
        } finally {
            net.restore(params, momentum);
        }
        double fastest = raw.values().stream().mapToDouble(v -> v[1]).max().orElse(0);
        // On a busy machine the JIT may not have compiled the peak's loop yet (its vectors are then
        // boxed, 100x slower): a peak below a kernel's rate is measured once more, then not used.
        double peak = net.peakGflops(0.5);
        if (peak < fastest) peak = Math.max(peak, net.peakGflops(0.5));
        boolean trusted = peak >= fastest;
        double limit = peak;
        Map<String, double[]> table = new LinkedHashMap<>();
        raw.forEach((name, v) -> table.put(name, new double[] {v[0], v[1], trusted && v[1] > 0 ? 100 * v[1] / limit : 0}));
        table.put(trusted ? PEAK_ROW : PEAK_ROW + " (disturbed: below the kernels)", new double[] {0, peak, trusted ? 100 : 0});
        return table;
    }

    /** The profile's last row: the measured peak. */
    static final String PEAK_ROW = "peak: vector multiply-adds in registers";

    @Override
    public List<String> profileColumns() {
        return List.of("ms", "GFLOP/s", "% of peak");
    }
}
