package lenet.engine.nd4j;

import java.util.Map;
import lenet.engine.Sgd;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Minibatch SGD with momentum and L2 weight decay, step for step PyTorch's {@code torch.optim.SGD}
 * (dampening 0, no Nesterov; see {@link Sgd}), over a whole {@link ParamBlock} at once. For each
 * parameter p with gradient g and velocity v (initially zero), elementwise:
 *
 * <pre>
 *   g = g + weightDecay * p          weight decay, added to the gradient (coupled L2)
 *   v = momentum * v + g             PyTorch sets v = g on the first step: the same as v = 0 here
 *   p = p - lr * v
 * </pre>
 *
 * Parameters, gradients and velocities are three flat arrays laid out alike, so a step is a
 * handful of native calls whatever the number of parameters. All updated in place.
 */
final class FlatSgd {
    private final double momentum, weightDecay;
    private final INDArray values, grads, velocity;
    private final Map<String, INDArray> velocityViews;

    FlatSgd(ParamBlock block, Sgd sgd) {
        this.momentum = sgd.momentum();
        this.weightDecay = sgd.weightDecay();
        this.values = block.values();
        this.grads = block.grads();
        this.velocity = values.ulike().assign(0);
        this.velocityViews = block.split(velocity);
    }

    /** One update of every parameter with learning rate {@code lr}, from the gradients backward added up. */
    void step(double lr) {
        if (weightDecay != 0) grads.addi(values.mul(weightDecay));
        if (momentum != 0) {
            velocity.muli(momentum).addi(grads);
        } else {
            velocity.assign(grads);
        }
        values.subi(velocity.mul(lr));
    }

    /** Sets every gradient to zero, before the next backward adds into them. */
    void zeroGrad() {
        grads.assign(0);
    }

    /** The velocity of parameter {@code name}, a view (shaped as the parameter) that reads and writes the optimizer's state. */
    INDArray velocity(String name) {
        INDArray v = velocityViews.get(name);
        if (v == null) throw new IllegalArgumentException("no parameter " + name);
        return v;
    }

    /** All velocities, flat, laid out as the parameters. */
    INDArray velocities() {
        return velocity;
    }
}
