package lenet.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import lenet.model.Architecture;

/**
 * A checkpoint's meta.json (written and read by Jackson, keys in snake_case); {@link Checkpoint}
 * adds the format, its version and the checksum around it.
 *
 * @param architecture       the network, from which its spec is rebuilt
 * @param inputNormalization what the network takes as input ({@code lenet.model.Pixels#NORMALIZATION})
 * @param status             how the run stood when this was written ({@link RunStatus#jsonName()})
 * @param epoch              whole epochs done
 * @param step               optimizer steps done
 * @param config             every setting of the run
 * @param optimizer          what the optimizer's arrays are
 * @param metrics            the numbers after {@code epoch} (null when saved inside an epoch)
 * @param epochProgress      where an epoch was interrupted (null after a whole epoch)
 * @param created            when the file was written (ISO 8601)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckpointMeta(
        Architecture architecture,
        String inputNormalization,
        String status,
        int epoch,
        long step,
        long seed,
        String dataset,
        TrainConfig config,
        Optimizer optimizer,
        Metrics metrics,
        Trainer.EpochProgress epochProgress,
        String created) {

    /** SGD and what its saved arrays hold. */
    public record Optimizer(String type, String state) {
        static final Optimizer SGD = new Optimizer("sgd", "momentum.<param> arrays: the velocity buffer of each parameter");
    }

    /** The epoch's training and test numbers. */
    public record Metrics(double trainLoss, double trainAccuracy, double testLoss, double testAccuracy) {}
}
