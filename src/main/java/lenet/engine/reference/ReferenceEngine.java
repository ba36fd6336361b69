package lenet.engine.reference;

import java.util.Map;
import lenet.engine.Engine;
import lenet.engine.Network;
import lenet.engine.Sgd;
import lenet.engine.Trainable;
import lenet.io.NdArray;
import lenet.model.ModelSpec;
import lenet.model.ModelState;

/**
 * The reference engine: every layer in plain Java loops over double-precision arrays, forward and
 * backward of each on one screen ({@link Conv2d}, {@link MaxPool2d}, {@link AvgPool2d},
 * {@link Sigmoid}, {@link ReLU}, {@link Flatten}, {@link Linear}, {@link BatchNorm},
 * {@link SoftmaxCrossEntropy}), one thread. Slow and obviously correct: the engine the others are
 * tested against, and the one that explains its arithmetic ({@link ReferenceNetwork#explain}).
 */
public final class ReferenceEngine implements Engine {
    @Override
    public String name() {
        return "reference";
    }

    @Override
    public String describe() {
        return "reference: plain Java loops in double precision, one thread";
    }

    /** Every layer a spec can hold. */
    @Override
    public boolean supports(ModelSpec spec) {
        return true;
    }

    @Override
    public ReferenceNetwork network(ModelSpec spec, ModelState state) {
        return new ReferenceNetwork(Model.of(spec, state));
    }

    @Override
    public Trainable trainable(ModelSpec spec, ModelState state, Sgd sgd, Map<String, NdArray> optimizerState) {
        return new ReferenceTrainable(Model.of(spec, state), sgd, optimizerState);
    }
}
