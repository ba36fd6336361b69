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
    DEFAULT(4, 0.5, 0.1, LearningRateSchedule.ONE_CYCLE, 0.9, 1e-4, 128, 12, 2, 2, Distortion.NONE, 150),
    D2L(1, 0.9, 0.9, LearningRateSchedule.CONSTANT, 0.0, 0.0, 256, 10, 0, 1, Distortion.NONE, 0);

    /** The smallest batch a short run is given (see {@link #sizing}). */
    public static final int MIN_BATCH = 8;
    /**
     * A run whose recipe-chosen batch is below this one (it has fewer than {@link #minSteps} steps
     * even at 16) is very short: a sigmoid network then starts from {@link #VERY_SHORT_SIGMOID_GAIN}
     * and takes half the scaled rate (see {@link #sizing}).
     */
    public static final int VERY_SHORT_BELOW = 16;
    /** The Xavier gain of a sigmoid network in a very short run (see {@link #VERY_SHORT_BELOW}). */
    public static final double VERY_SHORT_SIGMOID_GAIN = 12;

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
    /** Random affine and/or elastic distortion of the training images, from {@link #shiftFrom} on. */
    public final Distortion distortion;
    /** The fewest steps the recipe plans a run for (0: none, the batch is always {@link #batchSize}). */
    public final int minSteps;

    Recipe(double sigmoidInitGain, double lr, double reluLr, LearningRateSchedule schedule, double momentum, double weightDecay, int batchSize,
           int epochs, int maxShift, int shiftFrom, Distortion distortion, int minSteps) {
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
        this.distortion = distortion;
        this.minSteps = minSteps;
    }

    /**
     * The batch size, peak rate and initial-weight gain for a run of {@code images} images a epoch
     * for {@code epochs} epochs. A run with fewer than {@link #minSteps} steps at the recipe's batch
     * size has its batch halved (down to {@link #MIN_BATCH}) until it has them, and its rate scaled
     * by the square root of the batch (a smaller batch's gradient is noisier; the square-root rule
     * keeps the noise of a step about the same). Measured on MNIST with the sigmoid network, one
     * epoch of 5,000 images (40 steps at batch 128) stays at chance at any rate from 0.05 to 2; at
     * batch 32 (157 steps) it reaches 77.5% with lr 0.25 (and 15.6% with the unscaled 0.5).
     *
     * <p>A run that has fewer than {@link #minSteps} steps even at batch 16 (so fewer than 2,400
     * images in all) is very short and gets batch 8. There a sigmoid network also starts from Xavier
     * x12 instead of x4 and takes half the scaled rate (0.0625 instead of 0.125). From x4 it barely
     * leaves chance whatever the batch or rate: one epoch of 2,000 images (sigmoid/avg, seed 1) ended
     * at 10.3-26.2% over batch 32, 16, 8 and 4 and rates 0.025-0.5 (batch 16, lr 0.177: 11.4%;
     * 1,000 images: 9.5%); a larger gain makes the first layers learn sooner. Measured with one
     * epoch at batch 8, lr 0.0625, x12, seeds 1 and 2: 2,000 images 82.5% and 73.6% (sigmoid/avg),
     * 73.9% and 62.0% (sigmoid/max); 1,000 images 67.3% and 47.4%, 60.9% and 43.3%; 500 images
     * (seed 1) 36.5% and 24.9%, the latter with a training loss still above ln 10. A ReLU network
     * keeps its gain and the square-root rate (0.025 at batch 8); seeds 1 and 2: 2,000 images 90.2%
     * and 90.8% (relu/max), 86.6% and 86.6% (relu/avg); 1,000 images 84.5% and 83.7%, 78.4% and
     * 80.3%; 500 images (seed 1) 62.9% and 40.2% (batch 16 had given 91.0%, 84.4% at 2,000 images
     * and 44.7%, 16.1% at 500). A run of 2,400 images or more is sized as before.
     *
     * @param givenBatch the --batch-size given (null: the recipe chooses)
     * @param givenLr    the --lr given (null: the recipe chooses)
     * @param givenGain  the --init-gain given (null: the recipe chooses)
     */
    public Sizing sizing(Activation activation, Pooling pooling, int images, int epochs, Integer givenBatch, Double givenLr,
                         Double givenGain) {
        int batch = givenBatch != null ? givenBatch : batchSize;
        if (givenBatch == null && minSteps > 0) {
            while (batch / 2 >= MIN_BATCH && steps(images, batch) * (long) epochs < minSteps) batch /= 2;
        }
        boolean veryShort = givenBatch == null && batch < VERY_SHORT_BELOW;
        boolean sigmoid = activation == Activation.SIGMOID;
        double scaled = lr(activation, pooling) * Math.sqrt((double) batch / batchSize) * (veryShort && sigmoid ? 0.5 : 1);
        // Rounded to 3 significant digits: the rate is printed and saved, and --lr takes it back as it reads.
        double rate = givenLr != null ? givenLr : new java.math.BigDecimal(scaled).round(new java.math.MathContext(3)).doubleValue();
        double gain = givenGain != null ? givenGain : veryShort && sigmoid ? VERY_SHORT_SIGMOID_GAIN : initGain(activation);
        return new Sizing(batch, rate, gain, batch != batchSize && givenBatch == null);
    }

    /**
     * @param initGain  the Xavier gain of the layers before an activation
     * @param shortened true when the batch is below the recipe's because the run is short
     */
    public record Sizing(int batchSize, double lr, double initGain, boolean shortened) {}

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
