package lenet.engine;

import java.util.Map;
import lenet.io.NdArray;
import lenet.model.ModelSpec;
import lenet.model.ModelState;

/**
 * A way to run models: plain Java loops (the reference every other engine is tested against),
 * ND4J's native kernels, a fused vector-API engine. Which one runs is decided in one place,
 * {@code Engines}, never inside a layer.
 */
public interface Engine {
    /** A short name: {@code reference}, {@code nd4j}, ... */
    String name();

    /** What runs where, for {@code --version} and {@code lenet bench}. */
    String describe();

    /** True when this engine runs every layer of {@code spec}. */
    boolean supports(ModelSpec spec);

    /** {@code state}'s model for inference (eval mode, thread-safe). */
    Network network(ModelSpec spec, ModelState state);

    /**
     * {@code state}'s model for training with {@code sgd}, the optimizer starting from
     * {@code optimizerState} (keys as {@link Trainable#optimizerState()}; empty for a new run).
     */
    Trainable trainable(ModelSpec spec, ModelState state, Sgd sgd, Map<String, NdArray> optimizerState);
}
