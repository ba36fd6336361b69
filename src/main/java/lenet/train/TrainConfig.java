package lenet.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.nio.file.Path;
import lenet.model.Activation;
import lenet.model.Architecture;
import lenet.model.Norm;
import lenet.model.Pooling;
import lenet.optim.LearningRateSchedule;

/**
 * Everything that decides a training run's result, resolved (no setting left open). Saved in every
 * checkpoint as meta.json's {@code config} and in the run folder as config.json (by Jackson, in
 * snake_case), so that {@code --resume} continues with the same settings.
 *
 * @param dataset      {@code mnist} or {@code fashion-mnist}
 * @param dataDir      folder holding the IDX files
 * @param activation   after each conv and hidden dense layer
 * @param pooling      after each conv layer
 * @param norm         batch norm before each of those activations, or none
 * @param initGain     new weights of the layers before an activation are Xavier-uniform times this
 * @param lr           learning rate (the peak rate under the one-cycle schedule)
 * @param schedule     how the rate changes from step to step
 * @param momentum     SGD momentum (0 = plain SGD)
 * @param weightDecay  L2 penalty added to the gradient, PyTorch's {@code weight_decay}
 * @param batchSize    images per step; the last, partial batch of an epoch is kept
 * @param epochs       passes over the training set
 * @param maxShift     augmentation: each training image moved by up to this many pixels (0 = off)
 * @param shiftFrom    the first epoch that gets shifted images (1 = all of them)
 * @param distortion   augmentation from {@code shiftFrom} on: random affine and/or elastic distortion ({@link Distortion})
 * @param shuffle      a new random order each epoch (false: the file's order)
 * @param limit        train on the first {@code limit} images only (0 = all)
 * @param seed         drives initialisation, shuffling and augmentation
 * @param recipe       the name of the preset these values started from ({@code default}, {@code d2l})
 * @param initFrom     the file the starting weights were read from ({@code --init}), or null: drawn
 *                     with Xavier's rule times {@code initGain}
 */
public record TrainConfig(
        String dataset,
        @JsonSerialize(using = ToStringSerializer.class) Path dataDir,
        Activation activation,
        Pooling pooling,
        Norm norm,
        double initGain,
        double lr,
        LearningRateSchedule schedule,
        double momentum,
        double weightDecay,
        int batchSize,
        int epochs,
        int maxShift,
        @JsonProperty("shift_from_epoch") int shiftFrom,
        Distortion distortion,
        boolean shuffle,
        int limit,
        long seed,
        String recipe,
        String initFrom) {

    public TrainConfig {
        if (norm == null) norm = Norm.NONE; // saved before batch norm existed
        if (initGain == 0) initGain = 1.0; // saved before init_gain existed: plain Xavier
        if (distortion == null) distortion = Distortion.NONE; // saved before distortions existed
    }

    /** The network these settings train. */
    public Architecture architecture() {
        return Architecture.lenet(activation, pooling, norm);
    }

    public TrainConfig withEpochs(int newEpochs) {
        return new TrainConfig(dataset, dataDir, activation, pooling, norm, initGain, lr, schedule, momentum, weightDecay,
                batchSize, newEpochs, maxShift, shiftFrom, distortion, shuffle, limit, seed, recipe, initFrom);
    }

    public TrainConfig withDataDir(Path newDataDir) {
        return new TrainConfig(dataset, newDataDir, activation, pooling, norm, initGain, lr, schedule, momentum, weightDecay,
                batchSize, epochs, maxShift, shiftFrom, distortion, shuffle, limit, seed, recipe, initFrom);
    }

    /**
     * Refuses a saved config whose values no run could have had (a meta.json edited and signed
     * again), naming the setting.
     */
    public TrainConfig checked() {
        TrainSettings.check(this);
        return this;
    }
}
