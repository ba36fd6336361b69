package lenet.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;

/**
 * Small helpers for the pictures drawn pixel by pixel (image grids, the heat map): a white canvas
 * with anti-aliased text, text placed by its centre, arrays of numbers painted as enlarged pixels.
 */
final class Drawing {
    /** Body text: 13 px, legible at the picture's natural size. */
    static final Font TEXT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    static final Font BOLD = new Font(Font.SANS_SERIF, Font.BOLD, 13);
    static final Font HEADING = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 17);

    private Drawing() {}

    /** A white RGB picture and its graphics, text anti-aliased, shapes not (pixels stay sharp). */
    static BufferedImage canvas(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return image;
    }

    static Graphics2D graphics(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setColor(Color.BLACK);
        return g;
    }

    /** Draws {@code text} with its left end at x and its baseline at y. */
    static void left(Graphics2D g, Font font, String text, int x, int y) {
        g.setFont(font);
        g.drawString(text, x, y);
    }

    /** Draws {@code text} with its right end at x, centred vertically on cy. */
    static void right(Graphics2D g, Font font, String text, double x, double cy) {
        g.setFont(font);
        FontMetrics m = g.getFontMetrics();
        g.drawString(text, (float) (x - m.stringWidth(text)), (float) (cy + (m.getAscent() - m.getDescent()) / 2.0));
    }

    /** Draws {@code text} centred on (cx, cy). */
    static void centred(Graphics2D g, Font font, String text, double cx, double cy) {
        g.setFont(font);
        FontMetrics m = g.getFontMetrics();
        g.drawString(text, (float) (cx - m.stringWidth(text) / 2.0), (float) (cy + (m.getAscent() - m.getDescent()) / 2.0));
    }

    /** Draws {@code text} turned a quarter left (reading upwards), centred on (cx, cy). */
    static void upwards(Graphics2D g, Font font, String text, double cx, double cy) {
        AffineTransform saved = g.getTransform();
        g.translate(cx, cy);
        g.rotate(-Math.PI / 2);
        centred(g, font, text, 0, 0);
        g.setTransform(saved);
    }

    static int width(Graphics2D g, Font font, String text) {
        return g.getFontMetrics(font).stringWidth(text);
    }

    /** A colour for a value, e.g. a colour map. */
    interface Shade {
        Color of(double value);
    }

    /**
     * Paints a rows x cols array (row-major in {@code values}, from {@code offset}) at (x, y), each
     * value a {@code scale} x {@code scale} square: nearest-neighbour enlargement, no smoothing.
     */
    static void pixels(Graphics2D g, float[] values, int offset, int rows, int cols, int x, int y, int scale, Shade shade) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                g.setColor(shade.of(values[offset + r * cols + c]));
                g.fillRect(x + c * scale, y + r * scale, scale, scale);
            }
        }
        g.setColor(Color.GRAY);
        g.drawRect(x - 1, y - 1, cols * scale + 1, rows * scale + 1);
    }

    /** Black at {@code lo} to white at {@code hi}, clamped. */
    static Shade grey(double lo, double hi) {
        double span = hi > lo ? hi - lo : 1;
        return v -> {
            int level = (int) Math.round(255 * Math.max(0, Math.min(1, (v - lo) / span)));
            return new Color(level, level, level);
        };
    }

    /**
     * A diverging map for signed values: blue for negative, white for zero, red for positive, full
     * colour at |v| = {@code limit} (colours as in ColorBrewer's RdBu ends).
     */
    static Shade diverging(double limit) {
        double m = limit > 0 ? limit : 1;
        Color negative = new Color(0x2166ac);
        Color positive = new Color(0xb2182b);
        return v -> {
            double t = Math.max(-1, Math.min(1, v / m));
            return mix(Color.WHITE, t < 0 ? negative : positive, Math.abs(t));
        };
    }

    /** (1 - t) a + t b, per channel. */
    static Color mix(Color a, Color b, double t) {
        return new Color(
                (int) Math.round(a.getRed() + t * (b.getRed() - a.getRed())),
                (int) Math.round(a.getGreen() + t * (b.getGreen() - a.getGreen())),
                (int) Math.round(a.getBlue() + t * (b.getBlue() - a.getBlue())));
    }

    /** Relative luminance is low enough that white text reads better on it than black. */
    static boolean dark(Color c) {
        return 0.299 * c.getRed() + 0.587 * c.getGreen() + 0.114 * c.getBlue() < 140;
    }
}
