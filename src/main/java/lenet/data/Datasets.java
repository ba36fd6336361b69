package lenet.data;

import java.util.List;

/**
 * The data sets lenet knows by name, and what their classes are called. Both hold 28x28 grey
 * images in ten classes, as IDX files: MNIST's handwritten digits and Zalando's Fashion-MNIST
 * clothes (a drop-in replacement, same sizes and splits).
 */
public final class Datasets {
    public static final String MNIST = "mnist";
    public static final String FASHION_MNIST = "fashion-mnist";
    public static final List<String> NAMES = List.of(MNIST, FASHION_MNIST);

    /** Fashion-MNIST's labels 0-9, as its authors name them. */
    private static final List<String> FASHION_CLASSES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    private static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    private Datasets() {}

    /**
     * What a data set's classes are called.
     *
     * @param noun  what one class is, for headings: {@code digit} or {@code class}
     * @param names each class's name, by label
     */
    public record Classes(String noun, List<String> names) {
        /** The name of label {@code k}. */
        public String name(int k) {
            return names.get(k);
        }

        /** True when the names are the labels themselves (the digits). */
        public boolean numeric() {
            return names == DIGITS;
        }
    }

    /** The classes of {@code dataset}: the digits for MNIST (and for a data set lenet does not know), the garments for Fashion-MNIST. */
    public static Classes classes(String dataset) {
        return FASHION_MNIST.equals(dataset) ? new Classes("class", FASHION_CLASSES) : new Classes("digit", DIGITS);
    }

    /** True when the classes are the digits 0-9 (a model of MNIST, or one whose data set is not known). */
    public static boolean isDigits(String dataset) {
        return !FASHION_MNIST.equals(dataset);
    }
}
