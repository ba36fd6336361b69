package lenet.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The choices that make a network: saved in every checkpoint's meta.json as {@code architecture},
 * from which {@link #spec()} rebuilds the layers.
 *
 * @param name       the family; {@value LeNet#NAME} is the only one
 * @param activation after each conv and hidden dense layer
 * @param pooling    after each conv block
 * @param norm       batch normalisation before each of those activations, or none
 */
@JsonIgnoreProperties(value = {"input_shape", "classes"}, allowGetters = true)
@JsonPropertyOrder({"name", "activation", "pooling", "norm", "input_shape", "classes"})
public record Architecture(
        @JsonProperty("name") String name,
        @JsonProperty("activation") Activation activation,
        @JsonProperty("pooling") Pooling pooling,
        @JsonProperty("norm") Norm norm) {

    public Architecture {
        if (!LeNet.NAME.equals(name)) throw new IllegalArgumentException("unknown architecture '" + name + "' (known: " + LeNet.NAME + ")");
        if (activation == null || pooling == null) throw new IllegalArgumentException("an architecture needs an activation and a pooling");
        if (norm == null) norm = Norm.NONE; // checkpoints from before batch norm existed
    }

    /** LeNet with these choices. */
    public static Architecture lenet(Activation activation, Pooling pooling, Norm norm) {
        return new Architecture(LeNet.NAME, activation, pooling, norm);
    }

    /** The default network: sigmoid, average pooling, no normalisation (d2l's LeNet). */
    public static Architecture lenetDefault() {
        return lenet(Activation.SIGMOID, Pooling.AVG, Norm.NONE);
    }

    /** One sample's input, [C, H, W] (written into meta.json for readers of the file; derived, never read back). */
    @JsonProperty("input_shape")
    public int[] inputShape() {
        return LeNet.INPUT_SHAPE.clone();
    }

    /** The number of classes (written into meta.json; derived). */
    @JsonProperty("classes")
    public int classes() {
        return LeNet.CLASSES;
    }

    /** The layers. */
    public ModelSpec spec() {
        return LeNet.spec(this);
    }

    /** {@code LeNet-5 (sigmoid, avg pool)}; {@code LeNet-5 (sigmoid, avg pool, batch norm)}. */
    @JsonIgnore
    public String title() {
        return name + " (" + activation.cliName() + ", " + pooling.cliName() + " pool" + (norm == Norm.BATCH ? ", batch norm" : "") + ")";
    }
}
