package lenet.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;
import lenet.data.Dataset;
import lenet.data.Datasets;

/**
 * A grid of wrongly classified images, most confident first, each shown as the network saw it
 * (white ink on black, enlarged 4x without smoothing) with its true and predicted digit.
 */
final class MistakesPicture {
    static final int COLUMNS = 6;
    static final int SCALE = 4;
    static final int CELL_W = 150;
    static final int CELL_H = 28 * SCALE + 52;
    static final int TOP = 44;
    static final int MARGIN = 14;

    private MistakesPicture() {}

    static int width() {
        return 2 * MARGIN + COLUMNS * CELL_W;
    }

    static int height(int shown) {
        int rows = (shown + COLUMNS - 1) / COLUMNS;
        return TOP + rows * CELL_H + MARGIN;
    }

    static String title(int shown, long total) {
        if (total == 0) return "No mistakes: every image was classified right";
        if (shown == 0) return String.format(Locale.ROOT, "%,d wrong image%s, none asked to be shown", total, total == 1 ? "" : "s");
        if (shown == total) return total == 1 ? "The one wrong image" : String.format(Locale.ROOT, "All %,d wrong images, most confident first", total);
        return String.format(Locale.ROOT, "The %d most confidently wrong images (of %,d)", shown, total);
    }

    /** @param totalMistakes how many images were wrong in all (the grid shows the first of {@code shown}) */
    static BufferedImage draw(List<Mistake> shown, Dataset data, long totalMistakes, Datasets.Classes classes) {
        BufferedImage image = Drawing.canvas(width(), height(shown.size()));
        Graphics2D g = Drawing.graphics(image);
        Drawing.centred(g, Drawing.TITLE, title(shown.size(), totalMistakes), image.getWidth() / 2.0, 22);
        int side = data.rows();
        float[] pixels = new float[data.pixelsPerImage()];
        for (int i = 0; i < shown.size(); i++) {
            Mistake m = shown.get(i);
            int x0 = MARGIN + (i % COLUMNS) * CELL_W;
            int y0 = TOP + (i / COLUMNS) * CELL_H;
            int offset = m.index() * data.pixelsPerImage();
            for (int p = 0; p < pixels.length; p++) pixels[p] = data.pixels()[offset + p] & 0xFF;
            int x = x0 + (CELL_W - data.cols() * SCALE) / 2;
            Drawing.pixels(g, pixels, 0, side, data.cols(), x, y0 + 4, SCALE, Drawing.grey(0, 255));
            g.setColor(Color.BLACK);
            double cx = x0 + CELL_W / 2.0;
            int below = y0 + 4 + side * SCALE;
            Drawing.centred(g, Drawing.BOLD, "true " + classes.name(m.label()) + ", predicted " + classes.name(m.predicted()), cx, below + 14);
            Drawing.centred(g, Drawing.TEXT, String.format(Locale.ROOT, "%.1f%% sure  #%d", 100 * m.confidence(), m.index()), cx, below + 32);
        }
        g.dispose();
        return image;
    }
}
