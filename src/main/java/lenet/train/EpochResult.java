package lenet.train;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.nio.file.Path;

/**
 * What one epoch of training did. Train loss and accuracy are averaged over the epoch's steps as
 * they ran (the model changing along the way, augmentation on), as d2l.ai reports them; test loss
 * and accuracy are measured after the epoch.
 *
 * @param seconds         wall time of the epoch's training steps (not the test evaluation)
 * @param imagesPerSecond training images per second in those steps
 * @param lr              the learning rate of the epoch's last step
 * @param rssMb           the process's resident memory after the epoch (flat from epoch to epoch)
 * @param checkpoint      the {@code epoch-NN.npz} written after the epoch (not part of the metrics row)
 *
 * <p>A row of metrics.jsonl is this record as Jackson writes it (snake_case keys); metrics.csv holds
 * the same numbers as {@link #csvRow}, for spreadsheets and pandas.
 */
public record EpochResult(
        int epoch,
        double trainLoss,
        double trainAccuracy,
        double testLoss,
        double testAccuracy,
        double seconds,
        double imagesPerSecond,
        double lr,
        double rssMb,
        @JsonIgnore Path checkpoint) {

    static final String CSV_HEADER = "epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds,images_per_second,lr,rss_mb";

    String csvRow() {
        return String.format(java.util.Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.6f,%.3f,%.1f,%.6g,%.0f",
                epoch, trainLoss, trainAccuracy, testLoss, testAccuracy, seconds, imagesPerSecond, lr, rssMb);
    }
}
