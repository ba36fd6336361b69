package lenet.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.Locale;

/**
 * The first convolution's kernels, each 5x5 weight an enlarged square on one diverging colour scale
 * shared by all of them (blue negative, white zero, red positive), with a colour bar. A kernel is
 * slid over the image and its weights multiplied with the pixels under it (cross-correlation), so
 * red parts respond to ink and blue parts to background at that spot.
 */
final class FiltersPicture {
    static final int SCALE = 20;
    static final int GAP = 26;
    static final int MARGIN = 20;
    static final int TOP = 48;

    private FiltersPicture() {}

    /**
     * @param layer  the convolution's name in the spec, for the title
     * @param weight [OC * KH * KW] row-major (the first convolution's weight [OC, 1, KH, KW] flattened)
     * @param bias   [OC]
     */
    static BufferedImage draw(String layer, float[] weight, float[] bias, int kernel) {
        int oc = bias.length;
        double limit = 0;
        for (float w : weight) limit = Math.max(limit, Math.abs(w));
        int side = kernel * SCALE;
        int width = 2 * MARGIN + oc * side + (oc - 1) * GAP;
        int height = TOP + side + 50 + 70;
        BufferedImage image = Drawing.canvas(Math.max(width, 560), height);
        int x0 = (image.getWidth() - width) / 2 + MARGIN;
        Graphics2D g = Drawing.graphics(image);
        Drawing.centred(g, Drawing.TITLE, String.format(Locale.ROOT, "%s: the %d kernels of %dx%d weights", layer, oc, kernel, kernel),
                image.getWidth() / 2.0, 22);
        Drawing.Shade shade = Drawing.diverging(limit);
        for (int c = 0; c < oc; c++) {
            int x = x0 + c * (side + GAP);
            Drawing.pixels(g, weight, c * kernel * kernel, kernel, kernel, x, TOP, SCALE, shade);
            g.setColor(Color.BLACK);
            Drawing.centred(g, Drawing.BOLD, "kernel " + (c + 1), x + side / 2.0, TOP + side + 16);
            Drawing.centred(g, Drawing.TEXT, String.format(Locale.ROOT, "bias %+.2f", bias[c]), x + side / 2.0, TOP + side + 34);
        }
        // The colour bar: -limit .. 0 .. +limit.
        int barW = 300, barH = 16;
        int bx = (image.getWidth() - barW) / 2, by = TOP + side + 56;
        for (int i = 0; i < barW; i++) {
            g.setColor(shade.of(limit * (2.0 * i / (barW - 1) - 1)));
            g.fillRect(bx + i, by, 1, barH);
        }
        g.setColor(Color.GRAY);
        g.drawRect(bx - 1, by - 1, barW + 1, barH + 1);
        g.setColor(Color.BLACK);
        Drawing.centred(g, Drawing.TEXT, String.format(Locale.ROOT, "%+.2f", -limit), bx, by + barH + 14);
        Drawing.centred(g, Drawing.TEXT, "0", bx + barW / 2.0, by + barH + 14);
        Drawing.centred(g, Drawing.TEXT, String.format(Locale.ROOT, "%+.2f", limit), bx + barW, by + barH + 14);
        Drawing.centred(g, Drawing.TEXT, "weight", bx + barW / 2.0, by + barH + 32);
        g.dispose();
        return image;
    }
}
