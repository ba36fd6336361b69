package lenet.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import lenet.io.AtomicFiles;

/** Writes pictures as PNG files, atomically (see {@link AtomicFiles}). */
final class Png {
    private Png() {}

    static void write(BufferedImage image, Path file) {
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(image, "png", out)) throw new IOException("no PNG writer in this Java runtime");
        });
    }
}
