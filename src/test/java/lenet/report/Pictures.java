package lenet.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;

/** Checks on a written picture: it decodes, has the size it should, and is not blank. */
final class Pictures {
    private Pictures() {}

    /** Reads {@code png}, failing unless it is a PNG of width x height with more than {@code minColours} colours. */
    static BufferedImage check(Path png, int width, int height, int minColours) throws IOException {
        assertTrue(Files.isRegularFile(png), png + " was not written");
        byte[] bytes = Files.readAllBytes(png);
        assertTrue(bytes.length > 8 && (bytes[0] & 0xff) == 0x89 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', png + " is not a PNG");
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, png + " does not decode");
        assertEquals(width, image.getWidth(), png + " width");
        assertEquals(height, image.getHeight(), png + " height");
        int colours = colours(image);
        assertTrue(colours > minColours, png + " looks blank: " + colours + " distinct colours");
        return image;
    }

    static int colours(BufferedImage image) {
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) seen.add(image.getRGB(x, y));
        }
        return seen.size();
    }
}
