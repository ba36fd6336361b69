package lenet.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Makes {@code count} 12-megapixel (4000x3000) JPEG photos of a handwritten digit on paper for
 * {@code scripts/bench-photos.sh}: {@code distinct} different pictures, the rest hard links to
 * them (decoding cost is per file; the disk holds only the distinct ones). Usage:
 * {@code BigPhotos DIR COUNT DISTINCT}.
 */
public final class BigPhotos {
    private BigPhotos() {}

    public static void main(String[] args) throws IOException {
        Path dir = Files.createDirectories(Path.of(args[0]));
        int count = Integer.parseInt(args[1]), distinct = Integer.parseInt(args[2]);
        Random rng = new Random(4000);
        for (int i = 0; i < distinct; i++) {
            int digit = i % 10;
            GreyImage glyph = RealWorldSets.fontGlyph(Character.forDigit(digit, 10), "DejaVu Sans", i % 2 == 0, 900 + rng.nextInt(600), 0);
            BufferedImage img = new BufferedImage(4000, 3000, BufferedImage.TYPE_INT_RGB);
            int ox = 500 + rng.nextInt(2000), oy = 300 + rng.nextInt(1000);
            int[] row = new int[4000];
            for (int y = 0; y < 3000; y++) {
                for (int x = 0; x < 4000; x++) {
                    double light = 0.9 - 0.25 * x / 4000.0 + 0.02 * rng.nextGaussian();
                    int gx = x - ox, gy = y - oy;
                    double a = gx >= 0 && gy >= 0 && gx < glyph.width() && gy < glyph.height() ? glyph.get(gx, gy) : 0;
                    double v = light * (1 - 0.85 * a);
                    int c = (int) Math.max(0, Math.min(255, Math.round(v * 255)));
                    row[x] = c << 16 | c << 8 | Math.min(255, c + 8);
                }
                img.setRGB(0, y, 4000, 1, row, 0, 4000);
            }
            SampleImages.writeJpeg(img, dir.resolve(String.format("photo-%04d-%d.jpg", i, digit)), 0.9f);
        }
        for (int i = distinct; i < count; i++) {
            Path src = dir.resolve(String.format("photo-%04d-%d.jpg", i % distinct, (i % distinct) % 10));
            Files.createLink(dir.resolve(String.format("photo-%04d-%d.jpg", i, (i % distinct) % 10)), src);
        }
    }
}
