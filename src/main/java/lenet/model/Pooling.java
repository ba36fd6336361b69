package lenet.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The subsampling after each conv layer. */
public enum Pooling {
    /** The mean of each window (divided by the full window, as PyTorch's count_include_pad=True). */
    AVG,
    /** The largest value of each window. */
    MAX;

    /** The name users type and files store: {@code avg}, {@code max}. */
    @JsonValue
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The value named {@code s} (any case), or an error listing the known names. */
    @JsonCreator
    public static Pooling parse(String s) {
        return Choices.parse(Pooling.class, "pooling", s);
    }
}
