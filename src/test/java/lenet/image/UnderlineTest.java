package lenet.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** A line drawn under a digit and into it is erased, also when it slants; the digit's own base is not. */
class UnderlineTest {
    /** {@code text} in a sans-serif font at ({@code x}, 160) on white, and {@code line} (when not null) drawn over it with {@code pen}. */
    private static BufferedImage drawn(String text, int x, Line2D line, BasicStroke pen) {
        BufferedImage img = new BufferedImage(320, 220, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 320, 220);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 130));
        g.drawString(text, x, 160);
        if (line != null) {
            g.setStroke(pen);
            g.draw(line);
        }
        g.dispose();
        return img;
    }

    private static BufferedImage two(boolean line, double slant) {
        return drawn("2", 120, line ? new Line2D.Double(92, 158 + slant, 228, 158) : null, // through the 2's bar
                new BasicStroke(6, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    }

    private static Page.Result read(BufferedImage img) {
        return Page.read(img, 1, Page.Options.defaults(), Page.Trace.NONE);
    }

    private static boolean erased(Page.Result r) {
        return r.notes().stream().anyMatch(n -> n.startsWith("erased a line under the digit"));
    }

    @Test
    void aLineUnderTheDigitIsErasedLevelOrSlanted() {
        for (double slant : new double[] {0, 2}) {
            Page.Result r = read(two(true, slant));
            assertTrue(erased(r), "slant " + slant + ": " + r.notes());
            assertEquals(1, r.digits().size());
            // With the line the piece is about 1.4 times as wide as tall; a slanted line may leave a sliver above the band.
            assertTrue(r.digits().get(0).aspect() < 1.2, "the digit without the line: " + r.digits().get(0).aspect());
        }
    }

    @Test
    void aDigitsOwnBaseIsKept() {
        Page.Result r = read(two(false, 0));
        assertFalse(erased(r), r.notes().toString());
        assertEquals(1, r.digits().size());
    }

    /** A "0" with a line 6 px wide from {@code x0} to {@code x1} through its foot. */
    private static BufferedImage underlinedZero(double x0, double x1) {
        return drawn("0", 125, new Line2D.Double(x0, 160, x1, 160), new BasicStroke(6, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER));
    }

    @Test
    void aShortLineUnderANarrowDigitIsErasedWhenItReachesOutOnBothSides() {
        // A "0" underlined by a line a little wider than the digit is tall: only about 1.1 times as
        // wide as tall, the group is still a line and a digit when the line reaches out on both sides.
        Page.Result r = read(underlinedZero(110, 220));
        assertTrue(erased(r), r.notes().toString());
        assertEquals(1, r.digits().size());
        // The same width, reaching out on the right only (a 2's long foot): kept.
        Page.Result foot = read(underlinedZero(128, 238));
        assertFalse(erased(foot), foot.notes().toString());
    }

    @Test
    void aLineSlantedAcrossTheDigitsFootIsErasedThoughNoRowSpansIt() {
        // A "7" underlined by a thin line that falls 12 px over its length: no band of rows spans
        // it, so the fit through the columns' lowest ink finds it, and the 7's stem keeps its height.
        BufferedImage img = drawn("7", 120, new Line2D.Double(70, 166, 250, 154), new BasicStroke(5, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        Page.Result r = read(img);
        assertTrue(erased(r), r.notes().toString());
        assertEquals(1, r.digits().size());
        assertTrue(r.digits().get(0).aspect() < 1.0, "the digit without the line: " + r.digits().get(0).aspect());
    }

    @Test
    void aPlusIsNotAnUnderlinedStroke() {
        // Its bar is straight and reaches out on both sides, but its stem goes on below the bar.
        BufferedImage img = drawn("", 0, new Line2D.Double(80, 110, 240, 110), new BasicStroke(8));
        Graphics2D g = img.createGraphics();
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(8));
        g.draw(new Line2D.Double(160, 40, 160, 175));
        g.dispose();
        Page.Result r = read(img);
        assertFalse(erased(r), r.notes().toString());
    }
}
