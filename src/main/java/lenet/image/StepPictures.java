package lenet.image;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Page.Trace} that keeps a picture of every step and lays them out on one sheet, each with
 * its name: what {@code predict --steps} writes and the README shows.
 */
public final class StepPictures implements Page.Trace {
    private static final int CELL = 200, LABEL = 34, GAP = 10, COLUMNS = 4;

    private final List<String> names = new ArrayList<>();
    private final List<GreyImage> images = new ArrayList<>();

    @Override
    public void step(String name, GreyImage image) {
        names.add(name);
        images.add(image);
    }

    public boolean any() {
        return !images.isEmpty();
    }

    /** The sheet: a grid of the steps in order, each scaled to fit a 200x200 cell (small ones by whole pixels), titled. */
    public BufferedImage sheet(String title) {
        int n = images.size();
        int rows = (n + COLUMNS - 1) / COLUMNS;
        int width = GAP + COLUMNS * (CELL + GAP), height = 30 + rows * (CELL + LABEL + GAP);
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(new Color(235, 235, 235));
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, GAP, 20);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int i = 0; i < n; i++) {
            int x = GAP + (i % COLUMNS) * (CELL + GAP), y = 30 + (i / COLUMNS) * (CELL + LABEL + GAP);
            GreyImage img = images.get(i);
            double s = Math.min((double) CELL / img.width(), (double) CELL / img.height());
            if (s > 1) s = Math.floor(s);
            int w = Math.max(1, (int) Math.round(img.width() * s)), h = Math.max(1, (int) Math.round(img.height() * s));
            GreyImage shown = s >= 1 ? nearest(img, w, h) : Resample.areaAverage(img, w, h);
            g.setColor(new Color(120, 120, 160));
            g.fillRect(x, y, CELL, CELL);
            g.drawImage(grey(shown), x + (CELL - w) / 2, y + (CELL - h) / 2, null);
            g.setColor(Color.BLACK);
            drawWrapped(g, names.get(i), x, y + CELL + 13, CELL);
        }
        g.dispose();
        return out;
    }

    private static void drawWrapped(Graphics2D g, String text, int x, int y, int width) {
        StringBuilder line = new StringBuilder();
        int lines = 0;
        for (String word : text.split(" ")) {
            if (line.length() > 0 && g.getFontMetrics().stringWidth(line + " " + word) > width) {
                g.drawString(line.toString(), x, y + 13 * lines++);
                line.setLength(0);
            }
            line.append(line.length() == 0 ? "" : " ").append(word);
        }
        if (line.length() > 0) g.drawString(line.toString(), x, y + 13 * lines);
    }

    private static GreyImage nearest(GreyImage img, int w, int h) {
        GreyImage out = GreyImage.zeros(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) out.set(x, y, img.get(x * img.width() / w, y * img.height() / h));
        }
        return out;
    }

    private static BufferedImage grey(GreyImage img) {
        BufferedImage b = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_BYTE_GRAY);
        byte[] px = new byte[img.v().length];
        for (int i = 0; i < px.length; i++) px[i] = (byte) Math.round(255 * Math.max(0, Math.min(1, img.v()[i])));
        b.getRaster().setDataElements(0, 0, img.width(), img.height(), px);
        return b;
    }
}
