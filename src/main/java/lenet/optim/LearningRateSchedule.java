package lenet.optim;

import java.util.Locale;

/**
 * The learning rate at each optimizer step.
 *
 * <ul>
 *   <li>{@code CONSTANT}: {@code lr} at every step.</li>
 *   <li>{@code ONE_CYCLE}: Smith's one-cycle policy, exactly PyTorch's {@code OneCycleLR} with its defaults
 *       (pct_start 0.3, cosine annealing, div_factor 25, final_div_factor 1e4, two phases) but with the
 *       momentum held fixed ({@code cycle_momentum=False}). The rate warms up from lr/25 to lr over the
 *       first 30% of the steps, then anneals by a half cosine down to lr/25/1e4 at the last step.
 *       Warm-up lets a sigmoid network leave its flat start without diverging; the long, low tail
 *       settles the weights.</li>
 * </ul>
 */
public enum LearningRateSchedule {
    CONSTANT, ONE_CYCLE;

    private static final double PCT_START = 0.3, DIV_FACTOR = 25, FINAL_DIV_FACTOR = 1e4;

    /**
     * The rate for step {@code step} (0-based) of {@code totalSteps}, peaking at {@code lr}.
     */
    public double rate(double lr, long step, long totalSteps) {
        if (this == CONSTANT || totalSteps < 2) return lr;
        double initial = lr / DIV_FACTOR;
        double last = initial / FINAL_DIV_FACTOR;
        // PyTorch's phase ends: step (pct_start * total) - 1 is the peak, total - 1 the end.
        double warmEnd = PCT_START * totalSteps - 1;
        double end = totalSteps - 1;
        if (step <= warmEnd) return cosine(initial, lr, step / warmEnd);
        return cosine(lr, last, (step - warmEnd) / (end - warmEnd));
    }

    /** Half a cosine from {@code start} (pct 0) to {@code end} (pct 1). */
    private static double cosine(double start, double end, double pct) {
        return end + (start - end) / 2.0 * (Math.cos(Math.PI * pct) + 1);
    }

    @com.fasterxml.jackson.annotation.JsonValue
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @com.fasterxml.jackson.annotation.JsonCreator
    public static LearningRateSchedule fromCli(String s) {
        for (LearningRateSchedule v : values()) if (v.cliName().equals(s)) return v;
        throw new IllegalArgumentException("unknown schedule '" + s + "' (expected constant or one-cycle)");
    }
}
