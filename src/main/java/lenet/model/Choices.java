package lenet.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Parsing of the lower-case names of lenet's enums, with one message for an unknown name. */
final class Choices {
    private Choices() {}

    /**
     * The constant of {@code type} whose lower-case name is {@code s}.
     *
     * @throws IllegalArgumentException "unknown activation 'tanh' (known: sigmoid, relu)"
     */
    static <E extends Enum<E>> E parse(Class<E> type, String what, String s) {
        if (s != null) {
            for (E e : type.getEnumConstants()) if (e.name().equalsIgnoreCase(s.strip())) return e;
        }
        throw new IllegalArgumentException("unknown " + what + " '" + s + "' (known: " + names(type) + ")");
    }

    /** {@code sigmoid, relu}. */
    static <E extends Enum<E>> String names(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
    }
}
