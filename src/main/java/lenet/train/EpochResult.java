package lenet.train;

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
 * @param checkpoint      the {@code epoch-NN.npz} written after the epoch
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
        Path checkpoint) {

    static final String CSV_HEADER = "epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds,images_per_second,lr,rss_mb";

    /** A metrics.csv row as one JSON object line, keyed by the header's names (numbers stay numbers). */
    static String jsonRow(String header, String row) {
        String[] keys = header.split(","), values = row.split(",");
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < keys.length && i < values.length; i++) {
            json.append(i == 0 ? "" : ", ").append('"').append(keys[i]).append("\": ").append(jsonNumber(values[i]));
        }
        return json.append('}').toString();
    }

    private static String jsonNumber(String v) {
        try {
            double d = Double.parseDouble(v);
            return Double.isFinite(d) ? v : "null";
        } catch (NumberFormatException e) {
            return "null";
        }
    }

    String csvRow() {
        return String.format(java.util.Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.6f,%.3f,%.1f,%.6g,%.0f",
                epoch, trainLoss, trainAccuracy, testLoss, testAccuracy, seconds, imagesPerSecond, lr, rssMb);
    }
}
