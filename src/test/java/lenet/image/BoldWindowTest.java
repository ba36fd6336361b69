package lenet.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The background window grows for a bold glyph filling much of the picture, not for glare. */
class BoldWindowTest {
    private static final int W = 200, H = 260;

    /** A bold "0": an upright elliptical ring, its stroke 60 px, dark on light paper. */
    private static GreyImage boldZero() {
        GreyImage g = GreyImage.zeros(W, H);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                double dx = (x + 0.5 - 100) / 90.0, dy = (y + 0.5 - 130) / 125.0, r = Math.hypot(dx, dy);
                double ix = (x + 0.5 - 100) / 30.0, iy = (y + 0.5 - 130) / 65.0;
                boolean ring = r <= 1 && Math.hypot(ix, iy) > 1;
                g.set(x, y, ring ? 0.1f : 0.9f);
            }
        }
        return g;
    }

    @Test
    void aBoldZeroFillingThePictureIsReadWholeNotAsItsRims() {
        GreyImage zero = boldZero();
        int quarter = Math.min(W, H) / 4;
        int k = Page.boldWindow(zero, true);
        // The closing fills in ink only where paper lies within half the window: over 60 px.
        assertTrue(k > 60 && quarter < 60, "window " + k + " against strokes 60 px wide (a quarter of the picture: " + quarter + ")");
        // Read as dark ink (the way round is a separate guess): one digit, the whole ring.
        Page.Options d = Page.Options.defaults();
        Page.Options dark = new Page.Options(Preprocessing.Invert.YES, d.minContrast(), d.deskew(), d.thin(), d.thicken(), d.single(), d.split());
        Page.Result r = Page.read(PreprocessingTest.picture(zero), 1, dark, Page.Trace.NONE);
        assertEquals(1, r.digits().size(), "one digit, not the rims of its strokes");
        assertTrue(r.digits().get(0).aspect() > 0.6, "the whole ring: " + r.digits().get(0).aspect());
    }

    @Test
    void aGlareSpotDoesNotWidenTheWindow() {
        // A white "1" on a dark screen under a broad, soft glare: the glare is bright and round
        // like a bold stroke, but its edge fades over tens of pixels.
        GreyImage g = GreyImage.zeros(W, H);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                double d = Math.hypot(x - 100, y - 150) / 45.0;
                g.set(x, y, (float) Math.min(1, 0.1 + 0.8 * Math.exp(-d * d)));
            }
        }
        for (int y = 60; y < 160; y++) for (int x = 96; x < 104; x++) g.set(x, y, 1f);
        assertTrue(Page.boldWindow(g, false) < Math.min(W, H) / 4, "window " + Page.boldWindow(g, false));
    }

    @Test
    void aWidePensEightFillingMostOfItsBoxIsInkNotItsHoles() {
        // A rounded box with two small holes, one above the other: the "8" fills about 86% of its box.
        // Counted as a pen's, it wins over its holes read the other way round.
        GreyImage g = GreyImage.zeros(W, H);
        java.util.Arrays.fill(g.v(), 0.9f);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                // A rounded box 100 x 150 (corners of radius 50): its waist filled in by the pen.
                double cx = Math.abs(x + 0.5 - 100), cy = Math.max(0, Math.abs(y + 0.5 - 130) - 25);
                boolean in = Math.abs(x + 0.5 - 100) <= 50 && Math.abs(y + 0.5 - 130) <= 75 && Math.hypot(cx, cy) <= 50;
                boolean hole = Math.hypot(x + 0.5 - 100, y + 0.5 - 100) < 6 || Math.hypot(x + 0.5 - 100, y + 0.5 - 162) < 7;
                if (in && !hole) g.set(x, y, 0.15f);
            }
        }
        Page.Result r = Page.read(PreprocessingTest.picture(g), 1, Page.Options.defaults(), Page.Trace.NONE);
        assertEquals(1, r.digits().size());
        assertTrue(r.inverted(), "read as dark ink on light paper");
        assertTrue(r.digits().get(0).aspect() < 0.7, "the whole 8, not a hole: " + r.digits().get(0).aspect());
    }
}
