package lenet.serve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import lenet.LenetException;
import lenet.image.Preprocessing;
import lenet.train.Predictor;

/**
 * Reads an uploaded image exactly as {@code lenet predict} reads a file: the same header-first
 * checks (the pixel limit before any pixel is decoded), the same MNIST-style preprocessing and the
 * same classifier. {@link #read} is the one place that calls the predict pipeline; point it at a
 * new one and the page follows.
 */
final class DigitReader {
    /** What predict made of an image: the 28x28 the network saw and its ten probabilities. */
    record Reading(Preprocessing.Result image, float[] probabilities) {
        int digit() {
            return Predictor.argMax(probabilities);
        }
    }

    private final Path scratch;

    /** Uploads are written to files in {@code scratch} (predict reads files), one per request, deleted after. */
    DigitReader(Path scratch) {
        this.scratch = scratch;
    }

    /**
     * What {@code lenet predict --model M --invert auto FILE} computes for an image file holding
     * {@code bytes}: the body is written to a private temp file and given to the same
     * {@link Predictor#predictFiles} call predict makes. A file predict would refuse is refused
     * here with predict's message, the temp file's name replaced by "the image".
     */
    Reading read(ServedModel model, byte[] bytes) {
        Path file;
        try {
            file = Files.createTempFile(scratch, "upload-", ".img");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the upload to " + scratch, e);
        }
        try {
            Files.write(file, bytes);
            Predictor.Answer[] answer = new Predictor.Answer[1];
            Predictor.of(model.saved(), null, null).predictFiles(List.of(file), Preprocessing.Invert.AUTO, a -> answer[0] = a);
            if (!answer[0].ok()) throw new LenetException(answer[0].error().replace(file.toString(), "the image"));
            return new Reading(answer[0].image(), answer[0].probabilities());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the upload to " + scratch, e);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the scratch folder goes when the server stops
            }
        }
    }
}
