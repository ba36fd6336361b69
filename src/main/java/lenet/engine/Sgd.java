package lenet.engine;

/**
 * The optimizer's settings, step for step PyTorch's {@code torch.optim.SGD} (dampening 0, no Nesterov).
 * For each parameter p with gradient g and velocity v (initially zero):
 *
 * <pre>
 *   g = g + weightDecay * p          weight decay, added to the gradient (coupled L2)
 *   v = momentum * v + g             PyTorch sets v = g on the first step: the same as v = 0 here
 *   p = p - lr * v
 * </pre>
 *
 * With momentum 0 this is plain SGD, p = p - lr * g. The velocities are saved as
 * {@code momentum.<parameter name>} arrays.
 */
public record Sgd(double momentum, double weightDecay) {
    public static final String STATE_PREFIX = "momentum.";
}
