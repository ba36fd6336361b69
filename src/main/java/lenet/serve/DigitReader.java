package lenet.serve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import lenet.LenetException;
import lenet.image.Page;
import lenet.image.Preprocessing;
import lenet.train.Reading;

/**
 * Reads an uploaded image exactly as {@code lenet predict} reads a file: the same header-first
 * checks (the pixel limit before any pixel is decoded), the same search for the digits and
 * MNIST-style preprocessing, the same classifier and the same judgement of unsure answers.
 * {@link #read} is the one place that calls the predict pipeline; point it at a new one and the
 * page follows.
 */
final class DigitReader {
    private final Path scratch;

    /** Uploads are written to files in {@code scratch} (predict reads files), one per request, deleted after. */
    DigitReader(Path scratch) {
        this.scratch = scratch;
    }

    /**
     * What {@code lenet predict --model M FILE} reads in an image file holding {@code bytes}, with
     * predict's default options (a Fashion-MNIST model reads the image as one item, as predict
     * does): the body is written to a private temp file and given to the same
     * {@link lenet.train.Predictor#predictFiles} call predict makes. A file predict would refuse is
     * refused here with predict's message, the temp file's name replaced by "the image".
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
            Page.Options options = new Page.Options(Preprocessing.Invert.AUTO, Page.Options.DEFAULT_CONTRAST, true, true, true,
                    !model.classes().numeric(), true);
            Reading[] answer = new Reading[1];
            model.predictor().predictFiles(List.of(file), options, f -> Page.Trace.NONE, r -> answer[0] = r);
            if (!answer[0].ok()) throw new LenetException(answer[0].error().replace(file.toString(), "the image"));
            return answer[0];
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
