package lenet.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;
import lenet.nn.Param;
import lenet.nn.ParamBlock;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Minibatch stochastic gradient descent with momentum and L2 weight decay, step for step the same
 * as PyTorch's {@code torch.optim.SGD} (dampening 0, no Nesterov). For each parameter p with
 * gradient g and velocity buffer v (initially zero):
 *
 * <pre>
 *   g = g + weightDecay * p          weight decay, added to the gradient (coupled L2)
 *   v = momentum * v + g             PyTorch sets v = g on the first step: the same as v = 0 here
 *   p = p - lr * v
 * </pre>
 *
 * With momentum 0 this is plain SGD, p = p - lr * g. Parameters and velocities are updated in place.
 */
public final class Sgd {
    private final List<Param> params;
    private final double momentum;
    private final double weightDecay;
    private final List<INDArray> velocity = new ArrayList<>();
    // With a ParamBlock: the parameters, gradients and velocities as three flat arrays, updated
    // with a handful of native calls per step instead of a handful per parameter. Null otherwise.
    private final INDArray flatValues, flatGrads, flatVelocity;

    /** An optimizer updating each parameter in {@code params} separately. */
    public Sgd(List<Param> params, double momentum, double weightDecay) {
        this.params = List.copyOf(params);
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        for (Param p : this.params) velocity.add(p.value().ulike().assign(0));
        this.flatValues = this.flatGrads = this.flatVelocity = null;
    }

    /**
     * An optimizer updating every parameter of {@code block} at once through its flat arrays: the
     * same arithmetic, element for element, as the per-parameter optimizer, so the same results.
     */
    public Sgd(ParamBlock block, double momentum, double weightDecay) {
        this.params = block.params();
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.flatValues = block.values();
        this.flatGrads = block.grads();
        this.flatVelocity = flatValues.ulike().assign(0);
        velocity.addAll(block.split(flatVelocity));
    }

    /** One update of every parameter with learning rate {@code lr}, from the gradients in {@code grad}. */
    public void step(double lr) {
        if (flatValues != null) {
            update(flatValues, flatGrads, flatVelocity, lr);
            return;
        }
        for (int i = 0; i < params.size(); i++) update(params.get(i).value(), params.get(i).grad(), velocity.get(i), lr);
    }

    /** The rule above for one parameter p (or all of them, flat), its gradient g and velocity v, in place. */
    private void update(INDArray p, INDArray g, INDArray v, double lr) {
        if (weightDecay != 0) g.addi(p.mul(weightDecay));
        if (momentum != 0) {
            v.muli(momentum).addi(g);
        } else {
            v.assign(g);
        }
        p.subi(v.mul(lr));
    }

    /** Sets every gradient to zero, before the next backward pass adds into them. */
    public void zeroGrad() {
        if (flatGrads != null) {
            flatGrads.assign(0);
            return;
        }
        for (Param p : params) p.grad().assign(0);
    }

    /** The velocity buffers, keyed by parameter name, for checkpoints. */
    public Map<String, INDArray> state() {
        Map<String, INDArray> state = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) state.put(params.get(i).name(), velocity.get(i));
        return state;
    }

    /** Restores velocity buffers saved by {@link #state()}; a parameter missing from {@code saved} keeps zero. */
    public void loadState(Map<String, INDArray> saved) {
        for (int i = 0; i < params.size(); i++) {
            INDArray v = saved.get(params.get(i).name());
            if (v != null) velocity.get(i).assign(v);
        }
    }
}
