package lenet.train;

import java.util.Locale;
import lenet.model.Activation;
import lenet.model.Pooling;
import lenet.optim.LearningRateSchedule;

/**
 * Named starting points for the training settings; any flag given on the command line wins.
 *
 * <ul>
 *   <li>{@code default}: reaches 99% on MNIST with the sigmoid/avg-pool LeNet in 12 epochs (about
 *       a minute here). The weights start from Xavier x4, Glorot and Bengio's bound for the logistic
 *       sigmoid: with plain Xavier the network sits at 10% accuracy for 3-6 epochs (measured here),
 *       with x4 it is at 90% after the first. SGD with momentum 0.9 and the one-cycle schedule
 *       (peak lr 0.5) warm up, then anneal the rate to nearly zero; random shifts of up to 2 pixels
 *       from epoch 2 and weight decay 1e-4 keep it from over-fitting.</li>
 *   <li>{@code d2l}: the recipe of d2l.ai's LeNet chapter (lr 0.9, batch 256, 10 epochs, plain SGD,
 *       constant rate, no augmentation), to reproduce the book: it stalls near 10% for a few epochs
 *       and ends around 95-97%.</li>
 * </ul>
 */
public enum Recipe {
    DEFAULT(4, 0.5, 0.1, LearningRateSchedule.ONE_CYCLE, 0.9, 1e-4, 128, 12, 2, 2, 150),
    D2L(1, 0.9, 0.9, LearningRateSchedule.CONSTANT, 0.0, 0.0, 256, 10, 0, 1, 0);

    /** The smallest batch a short run is given (see {@link #sizing}). */
    public static final int MIN_BATCH = 16;

    /** The Xavier gain for a sigmoid network; ReLU networks always start from plain Xavier (gain 1). */
    private final double sigmoidInitGain;

    /** The peak rate for a sigmoid network. */
    public final double lr;
    /** The peak rate for a ReLU network: at the sigmoid's 0.5 (with momentum 0.9) its units die in the first steps. */
    private final double reluLr;
    public final LearningRateSchedule schedule;
    public final double momentum;
    public final double weightDecay;
    public final int batchSize;
    public final int epochs;
    public final int maxShift;
    public final int shiftFrom;
    /** The fewest steps the recipe plans a run for (0: none, the batch is always {@link #batchSize}). */
    public final int minSteps;

    Recipe(double sigmoidInitGain, double lr, double reluLr, LearningRateSchedule schedule, double momentum, double weightDecay, int batchSize,
           int epochs, int maxShift, int shiftFrom, int minSteps) {
        this.sigmoidInitGain = sigmoidInitGain;
        this.lr = lr;
        this.reluLr = reluLr;
        this.schedule = schedule;
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.batchSize = batchSize;
        this.epochs = epochs;
        this.maxShift = maxShift;
        this.shiftFrom = shiftFrom;
        this.minSteps = minSteps;
    }

    /**
     * The batch size and peak rate for a run of {@code images} images a epoch for {@code epochs}
     * epochs. A run with fewer than {@link #minSteps} steps at the recipe's batch size has its batch
     * halved (down to {@link #MIN_BATCH}) until it has them, and its rate scaled by the square root
     * of the batch (a smaller batch's gradient is noisier; the square-root rule keeps the noise of a
     * step about the same). Measured on MNIST with the sigmoid network, one epoch of 5,000 images
     * (40 steps at batch 128) stays at chance at any rate from 0.05 to 2; at batch 32 (157 steps)
     * it reaches 77.5% with lr 0.25 (and 15.6% with the unscaled 0.5).
     *
     * @param givenBatch the --batch-size given (null: the recipe chooses)
     * @param givenLr    the --lr given (null: the recipe chooses)
     */
    public Sizing sizing(Activation activation, Pooling pooling, int images, int epochs, Integer givenBatch, Double givenLr) {
        int batch = givenBatch != null ? givenBatch : batchSize;
        if (givenBatch == null && minSteps > 0) {
            while (batch / 2 >= MIN_BATCH && steps(images, batch) * (long) epochs < minSteps) batch /= 2;
        }
        // Rounded to 3 significant digits: the rate is printed and saved, and --lr takes it back as it reads.
        double rate = givenLr != null ? givenLr
                : new java.math.BigDecimal(lr(activation, pooling) * Math.sqrt((double) batch / batchSize)).round(new java.math.MathContext(3)).doubleValue();
        return new Sizing(batch, rate, batch != batchSize && givenBatch == null);
    }

    /**
     * @param shortened true when the batch is below the recipe's because the run is short
     */
    public record Sizing(int batchSize, double lr, boolean shortened) {}

    private static long steps(int images, int batch) {
        return (images + batch - 1) / batch;
    }

    /** The peak learning rate for a network of {@code activation} and {@code pooling}. */
    public double lr(Activation activation, Pooling pooling) {
        return activation == Activation.RELU ? reluLr : lr;
    }

    /** The initial-weight gain for a network with {@code activation}. */
    public double initGain(Activation activation) {
        return activation == Activation.SIGMOID ? sigmoidInitGain : 1.0;
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
