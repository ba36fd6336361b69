package lenet.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The nonlinearity after each conv and hidden dense layer. */
public enum Activation {
    /** The logistic function s(z) = 1 / (1 + e^-z): LeNet's original, and d2l's. */
    SIGMOID,
    /** The rectifier max(0, z). */
    RELU;

    /** The name users type and files store: {@code sigmoid}, {@code relu}. */
    @JsonValue
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The value named {@code s} (any case), or an error listing the known names. */
    @JsonCreator
    public static Activation parse(String s) {
        return Choices.parse(Activation.class, "activation", s);
    }
}
