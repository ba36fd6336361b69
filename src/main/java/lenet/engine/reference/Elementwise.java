package lenet.engine.reference;

/** A layer whose eval-mode output at each position depends only on that input and its feature (channel). */
interface Elementwise {
    /** This layer applied to the value {@code x} of feature {@code feature}, by the code forward runs in eval mode. */
    Explanation.Step apply(int feature, double x);
}
