package lenet.model;

import java.util.Arrays;

/**
 * A named array of a model: a parameter (trained) or a buffer (state that is not trained, such as
 * batch norm's running statistics), with its shape and how a new model fills it.
 *
 * @param name  PyTorch's name in a state_dict, e.g. {@code conv1.weight}, {@code bn1.running_var}
 * @param shape the dimensions; {@code []} for a scalar
 * @param fill  the value of a new, untrained model
 */
public record TensorSpec(String name, long[] shape, Fill fill) {
    /** How a new model's array starts. */
    public enum Fill {
        /** Xavier-uniform (see {@link Init#xavierUniform}), drawn from the model's random stream. */
        XAVIER,
        ZEROS,
        ONES
    }

    public TensorSpec {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The number of values: the product of the shape (1 for a scalar). */
    public int size() {
        long n = 1;
        for (long d : shape) n *= d;
        return Math.toIntExact(n);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec t && name.equals(t.name) && Arrays.equals(shape, t.shape) && fill == t.fill;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
