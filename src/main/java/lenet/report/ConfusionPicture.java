package lenet.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.Locale;
import lenet.data.Datasets;

/**
 * The confusion matrix as a heat map: rows are the true digit, columns the predicted one, each cell
 * shows its count. A cell's colour is its share of the row's images: blue on the diagonal (right
 * answers), red off it (mistakes), the mistakes on a square-root scale so that a handful stands out.
 */
final class ConfusionPicture {
    static final int CELL = 54;
    static final int LEFT = 86;
    static final int TOP = 92;
    static final int BOTTOM = 64;
    static final int RIGHT = 24;
    private static final Color RIGHT_ANSWERS = new Color(0x1f5fa8);
    private static final Color MISTAKES = new Color(0xd62728);

    private ConfusionPicture() {}

    static int width(int classes) {
        return LEFT + classes * CELL + RIGHT;
    }

    static int height(int classes) {
        return TOP + classes * CELL + BOTTOM;
    }

    /** The left margin: wide enough for "9 Ankle boot" when the classes have names. */
    static int left(Datasets.Classes classes) {
        return classes.numeric() ? LEFT : LEFT + 80;
    }

    static BufferedImage draw(long[][] confusion, Datasets.Classes classes) {
        final int LEFT = left(classes);
        int k = confusion.length;
        long total = 0, correct = 0;
        for (int t = 0; t < k; t++) {
            for (int p = 0; p < k; p++) total += confusion[t][p];
            correct += confusion[t][t];
        }
        BufferedImage image = Drawing.canvas(width(k) + LEFT - ConfusionPicture.LEFT, height(k));
        Graphics2D g = Drawing.graphics(image);
        Drawing.centred(g, Drawing.TITLE, String.format(Locale.ROOT, "Confusion matrix: %,d of %,d right (%s)", correct, total,
                Curves.percent(total == 0 ? Double.NaN : (double) correct / total)), image.getWidth() / 2.0, 20);
        Drawing.centred(g, Drawing.HEADING, "predicted " + classes.noun(), LEFT + k * CELL / 2.0, 50);
        Drawing.upwards(g, Drawing.HEADING, "true " + classes.noun(), 22, TOP + k * CELL / 2.0);
        for (int i = 0; i < k; i++) {
            Drawing.centred(g, Drawing.BOLD, Integer.toString(i), LEFT + i * CELL + CELL / 2.0, TOP - 14);
            if (classes.numeric()) Drawing.centred(g, Drawing.BOLD, Integer.toString(i), LEFT - 18, TOP + i * CELL + CELL / 2.0);
            else Drawing.right(g, Drawing.BOLD, i + " " + classes.name(i), LEFT - 8, TOP + i * CELL + CELL / 2.0);
        }
        for (int t = 0; t < k; t++) {
            long row = 0;
            for (long n : confusion[t]) row += n;
            for (int p = 0; p < k; p++) {
                long n = confusion[t][p];
                double share = row == 0 ? 0 : (double) n / row;
                Color fill = t == p ? Drawing.mix(Color.WHITE, RIGHT_ANSWERS, share)
                        : Drawing.mix(Color.WHITE, MISTAKES, Math.min(1, Math.sqrt(share / 0.2)));
                int x = LEFT + p * CELL, y = TOP + t * CELL;
                g.setColor(fill);
                g.fillRect(x, y, CELL, CELL);
                g.setColor(n == 0 ? new Color(0xb0b0b0) : Drawing.dark(fill) ? Color.WHITE : Color.BLACK);
                Drawing.centred(g, n == 0 ? Drawing.TEXT : Drawing.BOLD, String.format(Locale.ROOT, "%d", n), x + CELL / 2.0, y + CELL / 2.0);
            }
        }
        g.setColor(Color.GRAY);
        for (int i = 0; i <= k; i++) {
            g.drawLine(LEFT, TOP + i * CELL, LEFT + k * CELL, TOP + i * CELL);
            g.drawLine(LEFT + i * CELL, TOP, LEFT + i * CELL, TOP + k * CELL);
        }
        g.setColor(Color.BLACK);
        int y = TOP + k * CELL + 24;
        Drawing.left(g, Drawing.TEXT, "Colour: the cell's share of the row's images.", LEFT, y);
        Drawing.left(g, Drawing.TEXT, "Blue: right answers. Red: mistakes (square-root scale, full red at 20%).", LEFT, y + 18);
        g.dispose();
        return image;
    }
}
