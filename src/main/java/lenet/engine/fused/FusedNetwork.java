package lenet.engine.fused;

import lenet.engine.Network;
import lenet.engine.Trace;
import lenet.engine.reference.ReferenceEngine;
import lenet.model.ModelSpec;
import lenet.model.ModelState;

/**
 * Inference on the fused engine. One {@link FusedLeNet} serves every caller, one batch at a time
 * (each batch already runs on all of its threads); a trace, one sample's every stage, comes from the
 * reference engine, whose stages are the layers' own outputs.
 */
final class FusedNetwork implements Network {
    private final ModelSpec spec;
    private final ModelState state;
    private final FusedLeNet net;

    FusedNetwork(ModelSpec spec, ModelState state, FusedLeNet net) {
        this.spec = spec;
        this.state = state;
        this.net = net;
        // The worker threads end by themselves when idle (Workers); nothing to close.
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public float[] logits(float[] input, int n) {
        FusedEngine.checkBatch(spec, input, null, n);
        synchronized (net) {
            return net.logits(input, n);
        }
    }

    @Override
    public Trace trace(float[] input) {
        return new ReferenceEngine().network(spec, state).trace(input);
    }
}
