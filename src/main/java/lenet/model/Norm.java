package lenet.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Normalisation inside the network. */
public enum Norm {
    /** None: LeNet as d2l's LeNet chapter builds it. */
    NONE,
    /** Batch normalisation after each conv and hidden dense layer, before the activation (d2l's batch-norm chapter). */
    BATCH;

    /** The name users type and files store: {@code none}, {@code batch}. */
    @JsonValue
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The value named {@code s} (any case), or an error listing the known names. */
    @JsonCreator
    public static Norm parse(String s) {
        return Choices.parse(Norm.class, "norm", s);
    }
}
