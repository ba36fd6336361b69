package lenet.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Finding a sheet of paper on a table, and leaving a page with a shadow alone. */
class SheetTest {
    private static final int W = 300, H = 240;

    /** A dark table with a grain of thin bright and dark streaks. */
    private static float[] table(Random rng) {
        float[] v = new float[W * H];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) v[y * W + x] = (float) (0.3 + 0.12 * Math.sin((x + 7 * Math.sin(y / 9.0)) * 1.3) + 0.02 * rng.nextGaussian());
        }
        return v;
    }

    /** A stroke: a dark bar of the given box on v. */
    private static void bar(float[] v, int x0, int y0, int x1, int y1, float level) {
        for (int y = y0; y < y1; y++) for (int x = x0; x < x1; x++) v[y * W + x] = level;
    }

    @Test
    void aSheetOnAGrainedTableIsFoundAndTheTableIsPaintedOver() {
        Random rng = new Random(1);
        float[] v = table(rng);
        bar(v, 80, 50, 220, 190, 0.9f); // the sheet
        bar(v, 145, 90, 152, 150, 0.15f); // a "1" on it
        Sheet.Found found = Sheet.find(new GreyImage(W, H, v));
        assertNotNull(found);
        assertEquals(1f, found.mask().get(148, 120)); // the digit lies inside the sheet (its hole filled)
        assertEquals(0f, found.mask().get(10, 10));
        // The table is now paper; the sheet and its digit are as they were.
        assertTrue(Math.abs(found.painted().get(10, 10) - 0.9f) < 0.02f, "table painted with the sheet's paper");
        assertEquals(0.15f, found.painted().get(148, 120));
    }

    @Test
    void aShadedSheetIsContinuedOutwardsSoItsDarkerSideIsNotInk() {
        // A sheet lit from the left: its paper falls from 0.95 to 0.65 across it. Painted with one
        // level (its median, 0.8), the surface beside its right side was brighter than the paper
        // there, and the background estimate found that side as faint ink.
        Random rng = new Random(2);
        float[] v = table(rng);
        for (int y = 50; y < 190; y++) for (int x = 80; x < 220; x++) v[y * W + x] = 0.95f - 0.3f * (x - 80) / 139f;
        bar(v, 145, 90, 152, 150, 0.15f); // a "1" on it
        Sheet.Found found = Sheet.find(new GreyImage(W, H, v));
        assertNotNull(found);
        GreyImage painted = found.painted();
        assertEquals(0.15f, painted.get(148, 120));
        // Beside each side, the surface is the paper of that side; above and below, of the column.
        assertEquals(0.66f, painted.get(260, 120), 0.02f);
        assertEquals(0.95f, painted.get(20, 120), 0.02f);
        assertEquals(0.95f - 0.3f * 70 / 139f, painted.get(150, 10), 0.02f);
        // The sheet's edge, a dark line in a photo, is painted over too.
        assertEquals(painted.get(260, 120), painted.get(219, 120), 0.02f);
        // The ink is the "1" and nothing else: no faint band along the darker side.
        Background.Ink ink = Background.ink(painted, true, 61);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                boolean digit = x >= 145 && x < 152 && y >= 90 && y < 150;
                if (!digit) assertEquals(0f, ink.ink().get(x, y), 0.05f, "ink at " + x + "," + y);
            }
        }
    }

    @Test
    void aSmallSheetOnASmoothDarkTableIsFoundByTheInkOnIt() {
        // A sheet a fifth of the picture on a dark table with no grain to speak of: its bright
        // edges outweigh its ink, so the picture as a whole reads as light on dark. The "6" on it,
        // dark marks wholly inside a four-sided sheet, says it is a sheet (held-apart fonts
        // photographed on a table read "8" and "87" before: the sheet itself was the ink).
        Random rng = new Random(3);
        float[] v = new float[W * H];
        for (int i = 0; i < v.length; i++) v[i] = (float) (0.25 + 0.005 * rng.nextGaussian());
        bar(v, 95, 55, 205, 185, 0.85f); // the sheet, 110 x 130
        bar(v, 130, 80, 138, 160, 0.2f); // a "6": its stem,
        bar(v, 130, 80, 170, 88, 0.2f); // its top bar
        bar(v, 130, 120, 170, 128, 0.2f); // and its bowl
        bar(v, 162, 120, 170, 160, 0.2f);
        bar(v, 130, 152, 170, 160, 0.2f);
        GreyImage picture = new GreyImage(W, H, v);
        assertTrue(!Background.darkInk(picture, 61), "the picture as a whole reads as light on dark");
        Sheet.Found found = Sheet.find(picture);
        assertNotNull(found);
        assertEquals(0f, found.mask().get(10, 10));
        assertEquals(0.85f, found.painted().get(10, 10), 0.02f);
    }

    @Test
    void aTurnedSheetFillsItsRectangleAndAnOvalDoesNot() {
        float[] sheet = new float[W * H], oval = new float[W * H];
        int onSheet = 0, onOval = 0;
        double c = Math.cos(Math.toRadians(20)), s = Math.sin(Math.toRadians(20));
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                double u = (x - 150) * c + (y - 120) * s, v = (y - 120) * c - (x - 150) * s;
                if (Math.abs(u) < 70 && Math.abs(v) < 50) { sheet[y * W + x] = 1; onSheet++; }
                if (sq(u / 70) + sq(v / 50) < 1) { oval[y * W + x] = 1; onOval++; }
            }
        }
        assertEquals(1, Sheet.rectangleFill(sheet, W, H, onSheet), 0.03);
        assertEquals(Math.PI / 4, Sheet.rectangleFill(oval, W, H, onOval), 0.03);
    }

    private static double sq(double d) {
        return d * d;
    }

    @Test
    void aShadowAcrossAPageIsNotASheet() {
        float[] v = new float[W * H];
        for (int y = 0; y < H; y++) for (int x = 0; x < W; x++) v[y * W + x] = x + y < 260 ? 0.45f : 0.9f; // a hard diagonal shadow, smooth
        bar(v, 60, 60, 67, 120, 0.1f); // a digit in the shadow
        bar(v, 200, 120, 207, 180, 0.2f); // and one in the light
        assertNull(Sheet.find(new GreyImage(W, H, v)));
    }

    @Test
    void aWhiteDigitOnBlackIsNotASheet() {
        float[] v = new float[W * H];
        java.util.Arrays.fill(v, 0.05f);
        // A bold white 0: a ring with a large dark hole.
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                double dx = (x - 150) / 70.0, dy = (y - 120) / 95.0, r = dx * dx + dy * dy;
                if (r < 1 && r > 0.3) v[y * W + x] = 0.95f;
            }
        }
        assertNull(Sheet.find(new GreyImage(W, H, v)));
    }

    @Test
    void aLargeWhiteFiveOnBlackWithoutAHoleIsNotASheet() {
        // Light ink on a dark, smooth ground: the digit is what is bright and lies inside the
        // picture with the dark all round it, as a sheet would. Such a picture is read the other
        // way round, so no sheet is looked for (found as one, the ground was painted white).
        float[] v = new float[W * H];
        java.util.Arrays.fill(v, 0.05f);
        bar(v, 100, 20, 220, 50, 0.95f); // the top bar
        bar(v, 100, 20, 130, 135, 0.95f); // the stem
        bar(v, 100, 105, 220, 135, 0.95f); // the bowl: its top,
        bar(v, 190, 105, 220, 225, 0.95f); // its right side
        bar(v, 90, 195, 220, 225, 0.95f); // and its bottom
        assertNull(Sheet.find(new GreyImage(W, H, v)));
    }

    @Test
    void aBlankSheetOnATableIsNoWriting() throws Exception {
        // A photo of a blank sheet on a wooden table (stand-in set nondigits/): its grain, read at
        // its faintest, leaves hundreds of specks; whatever else is left is not to be trusted.
        java.awt.image.BufferedImage photo = javax.imageio.ImageIO.read(new java.io.File("src/test/resources/realworld/nondigits/043-blank-table-none.jpg"));
        try {
            Page.Result r = Page.read(photo, 1, Page.Options.defaults(), Page.Trace.NONE);
            assertTrue(!r.digits().isEmpty());
            for (Page.Digit d : r.digits()) assertTrue(d.doubt() != null && d.doubt().contains("mostly specks"), String.valueOf(d.doubt()));
        } catch (Preprocessing.NoDigitException e) {
            // no digit found is as good an answer
        }
    }
}
