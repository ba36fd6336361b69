package lenet.train;

import java.nio.file.Path;
import lenet.nn.LeNet;
import lenet.optim.LearningRateSchedule;

/**
 * Everything that decides a training run's result. Saved in every checkpoint (as
 * {@code meta.json}'s {@code config}) so that {@code --resume} continues with the same settings.
 *
 * @param dataset      {@code mnist} or {@code fashion-mnist}
 * @param dataDir      folder holding the IDX files
 * @param activation   after each conv and hidden dense layer
 * @param pooling      after each conv layer
 * @param initGain     new weights are Xavier-uniform times this (1 is PyTorch's xavier_uniform_)
 * @param lr           learning rate (the peak rate under the one-cycle schedule)
 * @param schedule     how the rate changes from step to step
 * @param momentum     SGD momentum (0 = plain SGD)
 * @param weightDecay  L2 penalty added to the gradient, PyTorch's {@code weight_decay}
 * @param batchSize    images per step; the last, partial batch of an epoch is kept
 * @param epochs       passes over the training set
 * @param maxShift     augmentation: each training image moved by up to this many pixels (0 = off)
 * @param shiftFrom    the first epoch that gets shifted images (1 = all of them)
 * @param shuffle      a new random order each epoch (false: the file's order)
 * @param limit        train on the first {@code limit} images only (0 = all)
 * @param seed         drives initialisation, shuffling and augmentation
 * @param recipe       the name of the preset these values started from ({@code default}, {@code d2l})
 */
public record TrainConfig(
        String dataset,
        Path dataDir,
        LeNet.Activation activation,
        LeNet.Pooling pooling,
        double initGain,
        double lr,
        LearningRateSchedule schedule,
        double momentum,
        double weightDecay,
        int batchSize,
        int epochs,
        int maxShift,
        int shiftFrom,
        boolean shuffle,
        int limit,
        long seed,
        String recipe) {

    public TrainConfig withEpochs(int newEpochs) {
        return new TrainConfig(dataset, dataDir, activation, pooling, initGain, lr, schedule, momentum, weightDecay,
                batchSize, newEpochs, maxShift, shiftFrom, shuffle, limit, seed, recipe);
    }

    public TrainConfig withDataDir(Path newDataDir) {
        return new TrainConfig(dataset, newDataDir, activation, pooling, initGain, lr, schedule, momentum, weightDecay,
                batchSize, epochs, maxShift, shiftFrom, shuffle, limit, seed, recipe);
    }
}
