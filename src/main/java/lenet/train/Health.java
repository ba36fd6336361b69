package lenet.train;

import java.util.Locale;
import lenet.model.Activation;
import lenet.model.LeNet;

/**
 * Whether a run is learning, judged after every epoch from its numbers alone, so that a run that
 * failed says so in words instead of printing a bad accuracy and exiting 0.
 *
 * <p>A network that guesses scores 1/K on K balanced classes (10% on MNIST) and, giving every class
 * the same probability, has a cross-entropy of ln K (2.30 for 10 classes): "chance". A test accuracy
 * below 1.5/K (15%) means it has learned nothing usable; a training loss more than twice ln K means
 * its answers are confidently wrong, which steps far too large do; a training loss just above ln K
 * is where a network starts, and a run that ends there had too few steps or too large ones.
 */
public final class Health {
    /** A training loss this far above ln K counts as above chance (a new network's first steps sit within it). */
    static final double LOSS_MARGIN = 0.1;
    /** A training loss above this many times ln K counts as diverged. */
    static final double DIVERGED_FACTOR = 2;
    /** A test accuracy below this many times 1/K counts as at chance. */
    static final double CHANCE_FACTOR = 1.5;

    private Health() {}

    /**
     * What went wrong, if anything.
     *
     * @param status  {@link RunStatus#DIVERGED} or {@link RunStatus#AT_CHANCE} when the run failed, null for a warning only
     * @param problem what the numbers say, e.g. "the training loss 3.23 is above chance (ln 10 = 2.30)"
     * @param advice  what it means and what to try, naming the flags
     */
    public record Verdict(RunStatus status, String problem, String advice) {
        /** One line: problem, then advice. */
        public String line() {
            return problem + ": " + advice;
        }
    }

    /** Null when the epoch's numbers look like learning; otherwise what is wrong and what to try. */
    public static Verdict judge(double trainLoss, double testAccuracy, TrainConfig config) {
        int k = LeNet.CLASSES;
        double chance = Math.log(k);
        String lr = "lower {lr} (was " + num(config.lr()) + ")";
        String loss = Double.isFinite(trainLoss) ? String.format(Locale.ROOT, "%.4g", trainLoss) : Double.toString(trainLoss);
        String chanceLoss = String.format(Locale.ROOT, "chance (ln %d = %.2f)", k, chance);
        if (!Double.isFinite(trainLoss) || trainLoss > DIVERGED_FACTOR * chance) {
            return new Verdict(RunStatus.DIVERGED, "the training loss " + loss + " is far above " + chanceLoss,
                    "the steps are too large for this network and it diverged; " + lr);
        }
        boolean aboveChance = trainLoss > chance + LOSS_MARGIN;
        if (testAccuracy < CHANCE_FACTOR / k) {
            String problem = String.format(Locale.ROOT, "test accuracy %.2f%% is at chance (%.0f%% for %d classes)", 100 * testAccuracy, 100.0 / k, k);
            String advice;
            if (aboveChance) {
                advice = "the training loss " + loss + " is still above " + chanceLoss + ": the run had fewer steps than the network needs "
                        + "(train longer with {epochs}, or on more images with {limit}) or too large ones (" + lr + ")";
            } else if (config.activation() == Activation.RELU) {
                advice = "the network gives one answer to every image; a ReLU network that does this has usually died (its units output 0 "
                        + "for every input after too large a step): " + lr + ", or train longer with {epochs}";
            } else {
                advice = "the network gives one answer to every image; a sigmoid network sits on this plateau at first and needs more steps "
                        + "than this run had to leave it: train longer ({epochs}, or more images with {limit})";
            }
            return new Verdict(RunStatus.AT_CHANCE, problem, advice);
        }
        if (aboveChance) {
            return new Verdict(null, "the training loss " + loss + " is above " + chanceLoss,
                    "the network is learning (the test accuracy is above chance) but may need more steps ({epochs}) or smaller ones (" + lr + ")");
        }
        return null;
    }

    public static String num(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
