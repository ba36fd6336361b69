package lenet.report;

/**
 * A test image the model got wrong.
 *
 * @param index      its index in the data set
 * @param label      the true digit
 * @param predicted  the model's most probable digit
 * @param confidence the probability the model gave {@code predicted}
 */
public record Mistake(int index, int label, int predicted, double confidence) {}
