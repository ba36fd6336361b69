package lenet.engine.reference;

import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * How the reference engine computed one number of a stage, for people learning what a layer does:
 * CNN Explainer's kernel view, with the engine's own numbers. The parts come from the same code
 * that forward runs, in the same order, in double precision, so they add up EXACTLY: for a conv
 * cell, adding {@code products} in channel, row, column order gives {@code sum} bit for bit,
 * {@code sum + bias} is {@code value}, and {@code (float) value()} is the number
 * {@link lenet.engine.Network#trace} shows for the cell; likewise for each step of {@link #then()}.
 *
 * <p>Indices are those of the stage's output for one sample: (channel, row, col) of a map, or the
 * unit of a vector. Window positions are in the stage's input, row {@code top + u}, column
 * {@code left + v}; a negative position, or one past the input's edge, is padding.
 *
 * <p>As JSON (Jackson) each record carries {@code "kind"}: {@code conv}, {@code max_pool},
 * {@code avg_pool} or {@code dense}. A max pooling window's padding cells hold minus infinity,
 * which Jackson writes as the string {@code "-Infinity"}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Explanation.ConvCell.class, name = "conv"),
        @JsonSubTypes.Type(value = Explanation.MaxPoolCell.class, name = "max_pool"),
        @JsonSubTypes.Type(value = Explanation.AvgPoolCell.class, name = "avg_pool"),
        @JsonSubTypes.Type(value = Explanation.DenseUnit.class, name = "dense")})
public sealed interface Explanation
        permits Explanation.ConvCell, Explanation.MaxPoolCell, Explanation.AvgPoolCell, Explanation.DenseUnit {
    /** The stage (layer name) whose output this is. */
    String stage();

    /** The layer's output at the cell, in double, as forward computed it; the trace holds {@code (float) value()}. */
    double value();

    /**
     * The elementwise layers that follow in the spec (batch norm in eval mode, the activation), each
     * applied to the previous one's output, starting from {@link #value()}; empty when none follows.
     */
    List<Step> then();

    /** The value after the last step of {@link #then()}: what the map shown after the activation holds. */
    default double finalValue() {
        List<Step> steps = then();
        return steps.isEmpty() ? value() : steps.get(steps.size() - 1).output();
    }

    /**
     * One elementwise layer applied to one value: {@code output = operation(input)}.
     *
     * @param stage     the layer's name, e.g. {@code act1}, {@code bn1}
     * @param operation its description, e.g. {@code Sigmoid}, {@code ReLU}, {@code BatchNorm(6)}
     * @param constants for batch norm in eval mode {@code running_mean, running_var, eps, weight, bias} of
     *                  this channel, with output = (input - running_mean) / sqrt(running_var + eps) * weight + bias;
     *                  empty for an activation
     */
    record Step(String stage, String operation, double input, double output, Map<String, Double> constants) {}

    /**
     * One input channel's share of a conv cell: the KH x KW window it reads, the kernel slice for it,
     * and their elementwise products.
     *
     * @param channel  the input channel
     * @param input    the window's values; 0 where the window lies in the zero padding
     * @param padding  true where the window lies in the zero padding (outside the input)
     * @param kernel   weight[o][channel], KH x KW
     * @param products kernel * input, elementwise (0 in the padding)
     */
    record ChannelWindow(int channel, double[][] input, boolean[][] padding, double[][] kernel, double[][] products) {}

    /**
     * One cell of a convolution's output: value = bias + sum over the channels' windows of kernel * input
     * (cross-correlation: the kernel is not flipped).
     *
     * @param inputStage the stage the conv reads ({@code input} for the first layer)
     * @param channel    the output channel o; row and col the cell in its map
     * @param top        the window's first input row: row * strideH - padH
     * @param left       the window's first input column: col * strideW - padW
     * @param windows    one per input channel, in order
     * @param sum        the products added up, channel by channel, row by row, in forward's order
     * @param bias       bias[o]
     * @param value      sum + bias: the conv's output, before any batch norm or activation
     */
    record ConvCell(String stage, String inputStage, int channel, int row, int col, int top, int left,
                    List<ChannelWindow> windows, double sum, double bias, double value, List<Step> then)
            implements Explanation {}

    /**
     * One cell of a max pooling's output: the largest value of its window (the first one, scanning
     * row by row, when several are equal; padding counts as minus infinity, so it is never chosen).
     *
     * @param window the KH x KW values; {@code -Infinity} where the window lies in the padding
     * @param maxRow the row of the largest value within the window (0..KH-1); maxCol its column
     * @param value  window[maxRow][maxCol]
     */
    record MaxPoolCell(String stage, String inputStage, int channel, int row, int col, int top, int left,
                       double[][] window, boolean[][] padding, int maxRow, int maxCol, double value, List<Step> then)
            implements Explanation {}

    /**
     * One cell of an average pooling's output: the sum of its window divided by the FULL window size
     * KH * KW, padding counting as zeros (PyTorch's {@code count_include_pad=True}).
     *
     * @param window  the KH x KW values; 0 where the window lies in the padding
     * @param sum     the window's values added row by row
     * @param divisor KH * KW
     * @param value   sum / divisor
     */
    record AvgPoolCell(String stage, String inputStage, int channel, int row, int col, int top, int left,
                       double[][] window, boolean[][] padding, double sum, int divisor, double value, List<Step> then)
            implements Explanation {}

    /**
     * One input's share of a dense unit: weight * x.
     *
     * @param input the input's index (for fc1, the flattened [C, H, W] position c*H*W + h*W + w)
     */
    record Contribution(int input, double weight, double x, double product) {}

    /**
     * One unit of a dense (linear) layer: value = bias + sum over inputs k of weight[unit][k] * x[k].
     *
     * @param contributions every input's weight * x, largest |product| first (ties: lower index first)
     * @param sum           the products added up in input order (forward's order, not the ranking's)
     * @param bias          bias[unit]
     * @param value         sum + bias
     */
    record DenseUnit(String stage, String inputStage, int unit, List<Contribution> contributions,
                     double sum, double bias, double value, List<Step> then) implements Explanation {}
}
