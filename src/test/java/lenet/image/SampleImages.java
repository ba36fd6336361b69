package lenet.image;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import lenet.data.Dataset;

/**
 * Makes the images in data/samples and the README's before/after picture, deterministically
 * (fixed seed), from MNIST's test set and the JDK's fonts. Also used by the tests to make images
 * "like a user's photo". Run after {@code mvn -q test-compile} and {@code scripts/fetch-data.sh mnist}:
 *
 * <pre>
 *   java -cp "target/classes:target/test-classes:target/lib/*" lenet.image.SampleImages
 * </pre>
 */
public final class SampleImages {
    private SampleImages() {}

    public static void main(String[] args) throws IOException {
        Path samples = Path.of("data/samples");
        Files.createDirectories(samples);
        Dataset test = Dataset.loadSplit(Path.of("data/mnist"), "test");
        // MNIST test digits, unchanged, as 8-bit grey PNG (used as they are).
        for (int i : new int[] {0, 1, 2}) {
            ImageIO.write(mnistPng(test, i), "png", samples.resolve(String.format("mnist-%04d-%d.png", i, test.label(i))).toFile());
        }
        Random rng = new Random(2026);
        // Blue ballpoint on off-white paper, off-centre, a shadow across it, as a phone photo (JPEG).
        writeJpeg(onPaper(mnistInk(test, 8, 7, 0), 230, 170, new Color(30, 40, 140), 0.93, 0.25, 0.01, rng), samples.resolve("photo-blue-pen-5.jpg"));
        // A fine pen: the stroke is a third of MNIST's, so it needs thickening.
        ImageIO.write(onPaper(thinPen(mnistInk(test, 18, 8, 0), 0.7 * 8), 260, 260, new Color(20, 20, 20), 0.98, 0.0, 0.0, rng), "png",
                samples.resolve("fine-pen-3.png").toFile());
        // A drawing app's export: black strokes on a transparent canvas (RGBA PNG).
        ImageIO.write(onTransparent(mnistInk(test, 4, 5, 0)), "png", samples.resolve("transparent-4.png").toFile());
        // A printed digit: a serif font, dark red on light yellow, as a GIF.
        ImageIO.write(printed("2", "Serif", Font.PLAIN, 120, 160, 200, new Color(150, 20, 20), new Color(250, 240, 180)), "gif",
                samples.resolve("printed-serif-2.gif").toFile());
        // Chalk on a blackboard: light ink on a dark, not black, background (no inversion).
        ImageIO.write(chalk(mnistInk(test, 9, 5, 0), 180, 150, rng), "png", samples.resolve("chalk-9.png").toFile());

        Path docs = Path.of("docs");
        Files.createDirectories(docs);
        ImageIO.write(BeforeAfter.picture(new Path[] {
            samples.resolve("photo-blue-pen-5.jpg"), samples.resolve("fine-pen-3.png"),
            samples.resolve("transparent-4.png"), samples.resolve("printed-serif-2.gif")}), "png", docs.resolve("preprocessing.png").toFile());
    }

    /** MNIST test image i as an 8-bit grey image. */
    public static BufferedImage mnistPng(Dataset data, int i) {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        byte[] px = java.util.Arrays.copyOfRange(data.pixels(), i * 784, (i + 1) * 784);
        img.getRaster().setDataElements(0, 0, 28, 28, px);
        return img;
    }

    /** MNIST test image i enlarged {@code scale} times (bilinear), as ink 0-1; {@code pad} blank pixels around. */
    public static GreyImage mnistInk(Dataset data, int i, int scale, int pad) {
        float[] v = new float[784];
        for (int k = 0; k < 784; k++) v[k] = (data.pixels()[i * 784 + k] & 0xFF) / 255f;
        return Resample.bilinear(new GreyImage(28, 28, v), 28 * scale, 28 * scale).padded(pad);
    }

    /** The strokes of {@code ink} eroded by r pixels (binarized at 0.5 first): a finer pen. */
    public static GreyImage thinPen(GreyImage ink, double r) {
        float[] paper = new float[ink.v().length];
        for (int k = 0; k < paper.length; k++) paper[k] = ink.v()[k] >= 0.5f ? 0 : 1;
        double[] d2 = Preprocessing.squaredDistanceToInk(new GreyImage(ink.width(), ink.height(), paper));
        float[] out = new float[paper.length];
        for (int k = 0; k < out.length; k++) out[k] = d2[k] > r * r ? 1 : 0;
        return new GreyImage(ink.width(), ink.height(), out);
    }

    /**
     * {@code ink} in colour {@code pen} on paper of brightness {@code paper}, at a random off-centre
     * place on a w x h sheet, darkened by up to {@code shadow} towards the right, with Gaussian noise of standard deviation {@code noise}.
     */
    public static BufferedImage onPaper(GreyImage ink, int w, int h, Color pen, double paper, double shadow, double noise, Random rng) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int ox = rng.nextInt(Math.max(1, w - ink.width())), oy = rng.nextInt(Math.max(1, h - ink.height()));
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int ix = x - ox, iy = y - oy;
                double a = ix >= 0 && iy >= 0 && ix < ink.width() && iy < ink.height() ? ink.get(ix, iy) : 0;
                double light = paper * (1 - shadow * x / w) + noise * rng.nextGaussian();
                int r = channel(light * (1 - a) + a * pen.getRed() / 255.0);
                int g = channel(light * (1 - a) + a * pen.getGreen() / 255.0);
                int b = channel(light * (1 - a) + a * pen.getBlue() / 255.0);
                img.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return img;
    }

    /** Black ink whose opacity is {@code ink}, on a fully transparent canvas, with a transparent margin. */
    public static BufferedImage onTransparent(GreyImage ink) {
        BufferedImage img = new BufferedImage(ink.width() + 60, ink.height() + 20, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < ink.height(); y++) {
            for (int x = 0; x < ink.width(); x++) img.setRGB(x + 50, y + 10, channel(ink.get(x, y)) << 24);
        }
        return img;
    }

    /** Light chalk on a dark green-grey board with a brighter smudge. */
    static BufferedImage chalk(GreyImage ink, int w, int h, Random rng) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int ox = (w - ink.width()) / 3, oy = (h - ink.height()) / 2;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int ix = x - ox, iy = y - oy;
                double a = ix >= 0 && iy >= 0 && ix < ink.width() && iy < ink.height() ? ink.get(ix, iy) : 0;
                double board = 0.18 + 0.04 * Math.exp(-((x - 30) * (x - 30) + (y - 30) * (y - 30)) / 800.0);
                double v = board * (1 - a) + 0.9 * a;
                img.setRGB(x, y, channel(v * 0.9) << 16 | channel(v) << 8 | channel(v * 0.95));
            }
        }
        return img;
    }

    /** {@code text} in a font, {@code fg} on {@code bg}, left of centre on a w x h image. */
    public static BufferedImage printed(String text, String font, int style, int size, int w, int h, Color fg, Color bg) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(bg);
        g.fillRect(0, 0, w, h);
        g.setColor(fg);
        g.setFont(new Font(font, style, size));
        FontMetrics fm = g.getFontMetrics();
        g.drawString(text, (w - fm.stringWidth(text)) / 3, (h + fm.getAscent() - fm.getDescent()) / 2);
        g.dispose();
        return img;
    }

    static void writeJpeg(BufferedImage img, Path file) throws IOException {
        writeJpeg(img, file, 0.8f);
    }

    static void writeJpeg(BufferedImage img, Path file, float quality) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        ImageWriter writer = writers.next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
        Files.deleteIfExists(file);
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(img, null, null), param);
        } finally {
            writer.dispose();
        }
    }

    private static int channel(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v * 255)));
    }

    /** The README's picture: each input beside the 28x28 the network sees (enlarged 4x, nearest neighbour). */
    static final class BeforeAfter {
        private static final int ROW = 112;

        static BufferedImage picture(Path[] inputs) throws IOException {
            int gap = 12;
            int outX = gap + 160 + 50;
            BufferedImage out = new BufferedImage(outX + ROW + gap, inputs.length * (ROW + gap) + gap, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = out.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setColor(new Color(200, 200, 200));
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            for (int i = 0; i < inputs.length; i++) {
                BufferedImage in = ImageIO.read(inputs[i].toFile());
                int y = gap + i * (ROW + gap);
                double s = Math.min(160.0 / in.getWidth(), (double) ROW / in.getHeight());
                int w = (int) Math.round(in.getWidth() * s), h = (int) Math.round(in.getHeight() * s);
                g.drawImage(in, gap + (160 - w) / 2, y + (ROW - h) / 2, w, h, null);
                byte[] px = Preprocessing.toMnist(in, Preprocessing.Invert.AUTO).pixels();
                BufferedImage seen = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
                seen.getRaster().setDataElements(0, 0, 28, 28, px);
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
                g.drawImage(seen, outX, y, ROW, ROW, null);
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.setColor(Color.DARK_GRAY);
                int ax = gap + 160 + 8, ay = y + ROW / 2;
                g.fillPolygon(new int[] {ax, ax + 30, ax}, new int[] {ay - 10, ay, ay + 10}, 3);
            }
            g.dispose();
            return out;
        }
    }
}
