package lenet.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;
import lenet.image.Preprocessing.Invert;
import org.junit.jupiter.api.Test;

/** Each preprocessing step on small made-up images, then the whole pipeline. */
class PreprocessingTest {
    // ----- helpers: images drawn from plain arrays -----

    /** A w x h image of the given brightness with a filled rectangle of another. */
    static GreyImage rect(int w, int h, float background, int x0, int y0, int rw, int rh, float ink) {
        GreyImage g = GreyImage.zeros(w, h);
        java.util.Arrays.fill(g.v(), background);
        for (int y = y0; y < y0 + rh; y++) for (int x = x0; x < x0 + rw; x++) g.set(x, y, ink);
        return g;
    }

    /** A ring (annulus) of ink 1 on 0: outer radius r, stroke width s, centred in a square of side 2r + 2*margin. */
    static GreyImage ring(double r, double s, int margin) {
        int side = (int) Math.ceil(2 * r) + 2 * margin;
        GreyImage g = GreyImage.zeros(side, side);
        double c = side / 2.0;
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                double d = Math.hypot(x + 0.5 - c, y + 0.5 - c);
                if (d <= r && d > r - s) g.set(x, y, 1);
            }
        }
        return g;
    }

    static BufferedImage rgb(int w, int h, int... argb) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, w, h, argb, 0, w);
        return img;
    }

    static BufferedImage grey(int w, int h, byte[] pixels) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setDataElements(0, 0, w, h, pixels);
        return img;
    }

    /** A brightness image (0 black, 1 white) as an RGB picture. */
    static BufferedImage picture(GreyImage g) {
        BufferedImage img = new BufferedImage(g.width(), g.height(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < g.height(); y++) {
            for (int x = 0; x < g.width(); x++) {
                int v = Math.round(255 * g.get(x, y));
                img.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        return img;
    }

    // ----- 1. paper and luminance -----

    @Test
    void transparencyIsCompositedOverWhitePaper() {
        // opaque black, fully transparent black, half-transparent black
        GreyImage p = Preprocessing.paper(rgb(3, 1, 0xFF000000, 0x00000000, 0x80000000));
        assertEquals(0f, p.v()[0]);
        assertEquals(1f, p.v()[1]);
        assertEquals(1 - 128 / 255f, p.v()[2], 1e-6);
    }

    @Test
    void whiteInkOnATransparentCanvasIsCompositedOverBlackInstead() {
        GreyImage p = Preprocessing.paper(rgb(2, 1, 0xFFFFFFFF, 0x00FFFFFF));
        assertArrayEquals(new float[] {1, 0}, p.v());
    }

    @Test
    void colourBecomesRec601Luma() {
        GreyImage p = Preprocessing.paper(rgb(3, 1, 0xFFFF0000, 0xFF00FF00, 0xFF0000FF));
        assertEquals(0.299f, p.v()[0], 1e-6);
        assertEquals(0.587f, p.v()[1], 1e-6);
        assertEquals(0.114f, p.v()[2], 1e-6);
    }

    @Test
    void greyIsReadAsStoredNotThroughJavasLinearGreyToSrgb() {
        GreyImage p = Preprocessing.paper(grey(2, 1, new byte[] {(byte) 128, 50}));
        assertEquals(128 / 255f, p.v()[0], 1e-6); // getRGB would say 188
        assertEquals(50 / 255f, p.v()[1], 1e-6);
    }

    // ----- 2. working size -----

    @Test
    void hugeImagesShrinkAndTinyOnesGrowKeepingTheAspectRatio() {
        GreyImage big = Preprocessing.workingSize(GreyImage.zeros(3000, 1500));
        assertEquals(1024, big.width());
        assertEquals(512, big.height());
        GreyImage small = Preprocessing.workingSize(GreyImage.zeros(16, 32));
        assertEquals(128, small.width());
        assertEquals(256, small.height());
        GreyImage medium = GreyImage.zeros(300, 200);
        assertSame(medium, Preprocessing.workingSize(medium));
    }

    // ----- 3. polarity -----

    @Test
    void darkInkOnLightPaperIsInverted() {
        Preprocessing.Polarity p = Preprocessing.polarity(rect(20, 20, 0.9f, 5, 5, 10, 10, 0.1f), Invert.AUTO);
        assertTrue(p.inverted());
        assertEquals(0.1f, p.ink().get(0, 0), 1e-6);
        assertEquals(0.9f, p.ink().get(10, 10), 1e-6);
    }

    @Test
    void lightInkOnADarkBackgroundIsLeftAlone() {
        GreyImage chalk = rect(20, 20, 0.2f, 5, 5, 10, 10, 0.9f);
        Preprocessing.Polarity p = Preprocessing.polarity(chalk, Invert.AUTO);
        assertFalse(p.inverted());
        assertSame(chalk, p.ink());
    }

    @Test
    void aDimPhotoOfWhitePaperIsStillInverted() {
        // paper 0.45 is below half, but nearer the brightest pixel than the darkest ink
        assertTrue(Preprocessing.polarity(rect(20, 20, 0.45f, 5, 5, 10, 10, 0.15f), Invert.AUTO).inverted());
    }

    @Test
    void invertYesAndNoOverrideTheGuess() {
        GreyImage chalk = rect(20, 20, 0.2f, 5, 5, 10, 10, 0.9f);
        assertTrue(Preprocessing.polarity(chalk, Invert.YES).inverted());
        assertFalse(Preprocessing.polarity(rect(20, 20, 0.9f, 5, 5, 10, 10, 0.1f), Invert.NO).inverted());
    }

    @Test
    void aDigitTouchingTheEdgeDoesNotFoolTheBorderMedian() {
        // ink covers a third of the border ring: the median is still the paper
        assertTrue(Preprocessing.polarity(rect(30, 30, 0.9f, 0, 0, 30, 8, 0.1f), Invert.AUTO).inverted());
    }

    // ----- 4. background and contrast -----

    @Test
    void paperGoesToZeroAndTheStrongestInkToOne() {
        GreyImage g = rect(20, 20, 0.2f, 5, 5, 10, 10, 0.7f);
        g.set(6, 6, 0.45f);
        GreyImage out = Preprocessing.removeBackground(g);
        assertEquals(0f, out.get(0, 0));
        assertEquals(1f, out.get(10, 10));
        assertEquals(0.5f, out.get(6, 6), 1e-6);
    }

    @Test
    void paperNoiseFallsBelowTheBackgroundLevel() {
        Random rng = new Random(1);
        GreyImage g = rect(60, 60, 0.2f, 20, 20, 20, 20, 0.9f);
        for (int i = 0; i < g.v().length; i++) if (g.v()[i] < 0.5f) g.v()[i] += (float) (0.02 * rng.nextGaussian());
        GreyImage out = Preprocessing.removeBackground(g);
        int noisy = 0;
        for (int y = 0; y < 60; y++) for (int x = 0; x < 60; x++) if (g.get(x, y) < 0.5f && out.get(x, y) > 0) noisy++;
        assertTrue(noisy < 10, noisy + " paper pixels kept"); // 3 standard deviations: ~0.1% of ~3200
    }

    @Test
    void aBlankImageHasNoDigit() {
        GreyImage blank = rect(20, 20, 0.5f, 0, 0, 0, 0, 0);
        Preprocessing.NoDigitException e = assertThrows(Preprocessing.NoDigitException.class, () -> Preprocessing.removeBackground(blank));
        assertTrue(e.getMessage().startsWith("no digit found"), e.getMessage());
    }

    // ----- 5. black and white -----

    @Test
    void otsuCutsBetweenTwoLevels() {
        float[] v = new float[100];
        for (int i = 0; i < 100; i++) v[i] = i < 70 ? 0.2f : 0.8f;
        float t = Preprocessing.otsu(v);
        assertTrue(t > 0.2f && t <= 0.8f, "threshold " + t);
    }

    @Test
    void bilevelKeepsStrokesAndDropsSpecks() {
        GreyImage g = rect(50, 50, 0, 10, 10, 20, 20, 1f);
        g.set(45, 45, 1f); // a speck: 1 pixel against a 400-pixel piece
        g.set(9, 15, 0.3f); // a faint fringe below Otsu's cut
        GreyImage b = Preprocessing.bilevel(g);
        assertEquals(1f, b.get(15, 15));
        assertEquals(0f, b.get(45, 45));
        assertEquals(0f, b.get(9, 15));
    }

    @Test
    void labellingCountsEachPieceWithEightNeighbours() {
        int[] mask = {
            1, 0, 0, 1,
            0, 1, 0, 1,
            0, 0, 0, 0};
        int[] area = Preprocessing.label(mask, 4, 3);
        assertEquals(3, area.length); // labels 1 and 2
        assertEquals(2, area[mask[0]]); // the diagonal pair is one piece
        assertEquals(2, area[mask[3]]);
    }

    // ----- 6. crop -----

    @Test
    void cropIsTheInkBoundingBox() {
        GreyImage c = Preprocessing.cropToInk(rect(40, 30, 0, 7, 4, 12, 9, 1f));
        assertEquals(12, c.width());
        assertEquals(9, c.height());
    }

    // ----- 7. strokes -----

    @Test
    void strokeWidthOfARingIsItsWidth() {
        for (double s : new double[] {3, 6, 12}) {
            assertEquals(s, Preprocessing.strokeWidth(ring(60, s, 2)), 0.1 * s, "stroke " + s);
        }
    }

    @Test
    void thinStrokesAreThickenedToMnistsRatioAndThickOnesLeftAlone() {
        GreyImage thin = ring(60, 2, 0);
        GreyImage thick = Preprocessing.thickenStrokes(thin);
        double ratio = Preprocessing.strokeWidth(thick) / thick.longerSide();
        assertEquals(Preprocessing.MNIST_STROKE_RATIO, ratio, 0.015);
        GreyImage bold = ring(60, 20, 0);
        assertSame(bold, Preprocessing.thickenStrokes(bold));
    }

    @Test
    void aBoldRingIsErodedToMnistsRatioKeepingItsHole() {
        Preprocessing.Thinned t = Preprocessing.thinned(ring(60, 40, 0));
        assertTrue(t.eroded());
        assertEquals(Preprocessing.MNIST_STROKE_RATIO, Preprocessing.strokeWidth(t.drawing()) / t.drawing().longerSide(), 0.015);
        assertEquals(1, Holes.of(t.drawing().padded(1)).size());
    }

    @Test
    void aBlobWithASmallHoleLowDownKeepsItsHoleLowDown() {
        // A wide pen's "6": its hook closed onto its bowl, a small hole left low down. The centre
        // line of the ink round the hole is a loop reaching far up (read as a "0"); eroded, the
        // hole only grows round its own centre.
        GreyImage blob = GreyImage.zeros(90, 120);
        for (int y = 0; y < 120; y++) {
            for (int x = 0; x < 90; x++) {
                double dx = (x + 0.5 - 45) / 45, dy = (y + 0.5 - 60) / 60;
                boolean hole = Math.hypot(x + 0.5 - 45, y + 0.5 - 75) < 7;
                if (dx * dx + dy * dy <= 1 && !hole) blob.set(x, y, 1);
            }
        }
        Preprocessing.Thinned t = Preprocessing.thinned(blob);
        assertTrue(t.eroded());
        double eroded = holeCentre(t.drawing()), redrawn = holeCentre(Preprocessing.redrawn(blob));
        assertEquals(75 / 120.0, eroded, 0.05, "the hole's centre, as a fraction of the height");
        assertTrue(redrawn < eroded - 0.08, "the centre line's loop is centred higher: " + redrawn + " against " + eroded);
    }

    @Test
    void aThreeWhoseMouthsAWidePenShutIsErodedOpenNotRedrawnAsAnEight() {
        // A block "3": two slots from its left side, each shut at its mouth by a seam thinner than
        // the erosion, leaving two specks of paper of a size. The centre line drew them as an
        // "8"'s loops; eroded, both mouths open again.
        GreyImage three = GreyImage.zeros(80, 120);
        for (int y = 0; y < 120; y++) {
            for (int x = 0; x < 80; x++) {
                boolean slot = x >= 6 && x < 50 && (y >= 30 && y < 45 || y >= 75 && y < 90);
                if (!slot) three.set(x, y, 1);
            }
        }
        assertEquals(2, Holes.of(three.padded(1)).size());
        Preprocessing.Thinned t = Preprocessing.thinned(three);
        assertTrue(t.eroded());
        assertEquals(0, Holes.of(t.drawing().padded(1)).size());
        assertEquals(1, Components.of(t.drawing()).pieces().size());
        assertEquals(2, Holes.of(Preprocessing.redrawn(three).padded(1)).size(), "the centre line keeps both as loops");
    }

    @Test
    void erosionKeepsHolesWhenEachStaysItsOwnAndOnlySpecksOpen() {
        GreyImage ring = ring(40, 12, 2); // one hole, 26% of the box
        GreyImage broken = new GreyImage(ring.width(), ring.height(), ring.v().clone());
        for (int y = 0; y < broken.height(); y++) for (int x = 40; x < 44; x++) if (y < 20) broken.set(x, y, 0);
        assertTrue(Preprocessing.holesKept(ring, ring));
        assertFalse(Preprocessing.holesKept(ring, broken), "a loop is no speck: it may not open");
        // An "8": two holes; eroded through the bar between them, one hole.
        GreyImage eight = GreyImage.zeros(60, 100), zero = GreyImage.zeros(60, 100);
        for (int y = 0; y < 100; y++) {
            for (int x = 0; x < 60; x++) {
                boolean ink = x < 10 || x >= 50 || y < 10 || y >= 90;
                boolean bar = y >= 48 && y < 52;
                if (ink || bar) eight.set(x, y, 1);
                if (ink) zero.set(x, y, 1);
            }
        }
        assertFalse(Preprocessing.holesKept(eight, zero), "two loops run into one");
    }

    @Test
    void aSpeckMayOpenToASideOrDownwardsButNotUpwards() {
        // A wide pen's "8" in a serif font: its bowls shut to specks, its top thin. Eroded, the
        // upper speck breaks out through the top and the "8" becomes an "H" (read as a "4").
        GreyImage block = GreyImage.zeros(60, 60);
        for (int y = 0; y < 60; y++) for (int x = 0; x < 60; x++) if (!(x >= 26 && x < 34 && y >= 4 && y < 12)) block.set(x, y, 1);
        GreyImage up = new GreyImage(60, 60, block.v().clone()), side = new GreyImage(60, 60, block.v().clone());
        for (int y = 0; y < 4; y++) for (int x = 26; x < 34; x++) up.set(x, y, 0); // broken through the top
        for (int y = 4; y < 12; y++) for (int x = 0; x < 26; x++) side.set(x, y, 0); // out to the left
        assertTrue(Preprocessing.holesKept(block, side), "a speck may open to a side");
        assertFalse(Preprocessing.holesKept(block, up), "but not upwards");
        assertFalse(Preprocessing.holes(block, side).downwards());
    }

    @Test
    void aSpeckOpenedDownwardsMakesTheDigitUnsure() {
        // A wide pen's "8" whose lower bowl was shut to a slit, its bottom thin: eroded, the slit
        // breaks out downwards into an arch, read as a "9" as surely as a "9"'s shut tail opening
        // the same way would be read. Which it was cannot be told, so the answer is unsure.
        GreyImage blob = GreyImage.zeros(80, 120);
        for (int y = 0; y < 120; y++) {
            for (int x = 0; x < 80; x++) {
                boolean slit = x >= 37 && x < 43 && y >= 85 && y < 114;
                if (!slit) blob.set(x, y, 1);
            }
        }
        Preprocessing.Thinned t = Preprocessing.thinned(blob);
        assertTrue(t.eroded() && t.opened(), "eroded " + t.eroded() + ", opened " + t.opened());
        Preprocessing.Normalised n = Preprocessing.normalise(blob, Page.Options.defaults(), Page.Trace.NONE);
        assertTrue(n.doubt() != null && n.doubt().contains("shape is a guess"), String.valueOf(n.doubt()));
        // Opened to a side (a "3"'s mouths), it is not.
        Preprocessing.Thinned aside = Preprocessing.thinned(rotatedQuarter(blob));
        assertTrue(aside.eroded() && !aside.opened(), "eroded " + aside.eroded() + ", opened " + aside.opened());
    }

    /** The drawing turned a quarter clockwise: what opened downwards opens to the left. */
    private static GreyImage rotatedQuarter(GreyImage d) {
        GreyImage r = GreyImage.zeros(d.height(), d.width());
        for (int y = 0; y < d.height(); y++) for (int x = 0; x < d.width(); x++) r.set(d.height() - 1 - y, x, d.get(x, y));
        return r;
    }

    /** The centre row of the drawing's only hole, as a fraction of its height. */
    private static double holeCentre(GreyImage d) {
        List<int[]> holes = Holes.of(d);
        assertEquals(1, holes.size());
        double sum = 0;
        for (int p : holes.get(0)) sum += p / d.width() + 0.5;
        return sum / holes.get(0).length / d.height();
    }

    @Test
    void strokesThatErosionWouldCutAreRedrawnOnTheirCentreLine() {
        // Two bold discs joined by a bar a third as thick: eroding to MNIST's ratio parts them.
        GreyImage dumbbell = GreyImage.zeros(160, 70);
        for (int y = 0; y < 70; y++) {
            for (int x = 0; x < 160; x++) {
                boolean disc = Math.hypot(x + 0.5 - 35, y + 0.5 - 35) < 34 || Math.hypot(x + 0.5 - 125, y + 0.5 - 35) < 34;
                boolean bar = x >= 35 && x < 125 && Math.abs(y + 0.5 - 35) < 6;
                if (disc || bar) dumbbell.set(x, y, 1);
            }
        }
        Preprocessing.Thinned t = Preprocessing.thinned(dumbbell);
        assertFalse(t.eroded());
        assertEquals(1, Components.of(t.drawing()).pieces().size());
    }

    /** Two bold discs joined by a short bar a seventh as thick (erosion would part them), the left disc with a hole of radius {@code hole} (0: none). */
    private static GreyImage dumbbell(double hole) {
        GreyImage g = GreyImage.zeros(180, 86);
        for (int y = 0; y < 86; y++) {
            for (int x = 0; x < 180; x++) {
                boolean disc = Math.hypot(x + 0.5 - 43, y + 0.5 - 43) < 42 || Math.hypot(x + 0.5 - 137, y + 0.5 - 43) < 42;
                boolean bar = x >= 43 && x < 137 && Math.abs(y + 0.5 - 43) < 6;
                if ((disc || bar) && Math.hypot(x + 0.5 - 43, y + 0.5 - 43) >= hole) g.set(x, y, 1);
            }
        }
        return g;
    }

    @Test
    void loopsTheCentreLineInventsRoundASmallHoleMakeTheDigitUnsure() {
        Page.Options o = Page.Options.defaults();
        // A hole of radius 4 in a disc of 42: redrawn, the centre line round it is a loop about 46 px across.
        Preprocessing.Normalised shut = Preprocessing.normalise(dumbbell(4), o, Page.Trace.NONE);
        assertTrue(shut.doubt() != null && shut.doubt().contains("loops are a guess"), String.valueOf(shut.doubt()));
        // No hole: nothing invented. A ring eroded to MNIST's stroke keeps its own hole: nothing invented.
        assertEquals(null, Preprocessing.normalise(dumbbell(0), o, Page.Trace.NONE).doubt());
        assertEquals(null, Preprocessing.normalise(ring(60, 30, 0), o, Page.Trace.NONE).doubt());
    }

    @Test
    void erosionByADiscIsTheComplementOfDilatingThePaper() {
        // A 9-pixel-wide bar eroded by 2 leaves its middle 5 columns; a 3-pixel one vanishes.
        GreyImage g = GreyImage.zeros(30, 20);
        for (int y = 0; y < 20; y++) {
            for (int x = 3; x < 12; x++) g.set(x, y, 1);
            for (int x = 20; x < 23; x++) g.set(x, y, 1);
        }
        GreyImage e = DistanceTransform.erode(g.padded(1), 2);
        for (int x = 0; x < 32; x++) assertEquals(x >= 6 && x < 11 ? 1f : 0f, e.get(x, 10), "column " + x);
        double[] toPaper = DistanceTransform.squaredToPaper(g);
        assertEquals(0, toPaper[10 * 30 + 1]);
        assertEquals(25, toPaper[10 * 30 + 7]); // 5 columns from the paper at x = 2 and at x = 12
    }

    @Test
    void distanceTransformMatchesBruteForce() {
        Random rng = new Random(7);
        GreyImage g = GreyImage.zeros(23, 17);
        for (int i = 0; i < 12; i++) g.set(rng.nextInt(23), rng.nextInt(17), 1);
        double[] d2 = Preprocessing.squaredDistanceToInk(g);
        for (int y = 0; y < 17; y++) {
            for (int x = 0; x < 23; x++) {
                double best = Double.MAX_VALUE;
                for (int qy = 0; qy < 17; qy++) for (int qx = 0; qx < 23; qx++) {
                    if (g.get(qx, qy) > 0) best = Math.min(best, (x - qx) * (x - qx) + (y - qy) * (y - qy));
                }
                assertEquals(best, d2[y * 23 + x], 0, "at " + x + "," + y);
            }
        }
    }

    // ----- 8. area averaging and the 20x20 box -----

    @Test
    void areaAveragingThreePixelsToTwoWeighsTheMiddleOneHalfEach() {
        GreyImage out = Resample.areaAverage(new GreyImage(3, 1, new float[] {0.3f, 0.9f, 0.6f}), 2, 1);
        // output 0 covers [0, 1.5): all of pixel 0 and half of pixel 1
        assertEquals((0.3 + 0.5 * 0.9) / 1.5, out.v()[0], 1e-6);
        assertEquals((0.5 * 0.9 + 0.6) / 1.5, out.v()[1], 1e-6);
    }

    @Test
    void areaAveragingByAWholeFactorIsTheBlockMean() {
        GreyImage g = new GreyImage(4, 2, new float[] {1, 0, 0, 0, 1, 0, 1, 1});
        assertArrayEquals(new float[] {0.5f, 0.5f}, Resample.areaAverage(g, 2, 1).v(), 1e-6f);
    }

    @Test
    void areaAveragingKeepsTheMeanInkWhereNearestNeighbourLosesAThinLine() {
        GreyImage g = GreyImage.zeros(100, 100);
        for (int y = 0; y < 100; y++) g.set(37, y, 1); // a one-pixel line, 1% of the area
        GreyImage out = Resample.areaAverage(g, 20, 20);
        double mean = 0;
        for (float f : out.v()) mean += f / 400.0;
        assertEquals(0.01, mean, 1e-6);
        assertEquals(0.2f, out.get(7, 10), 1e-6f); // pixel 7 covers columns 35-39: one in five is ink
    }

    @Test
    void fitBoxMakesTheLongerSide20AndKeepsTheAspectRatio() {
        GreyImage tall = Preprocessing.fitBox(rect(10, 40, 1, 0, 0, 0, 0, 0));
        assertEquals(5, tall.width());
        assertEquals(20, tall.height());
        GreyImage wide = Preprocessing.fitBox(rect(300, 75, 1, 0, 0, 0, 0, 0));
        assertEquals(20, wide.width());
        assertEquals(5, wide.height());
        GreyImage hair = Preprocessing.fitBox(rect(1, 200, 1, 0, 0, 0, 0, 0));
        assertEquals(1, hair.width()); // never 0
    }

    // ----- 9. centre of mass -----

    @Test
    void theCentreOfMassLandsAtTheCentreOfTheField() {
        // a 12x20 box whose ink is heavier on the left: the bounding box is not centred, the mass is
        GreyImage box = rect(12, 20, 0, 0, 0, 6, 20, 1f);
        for (int y = 0; y < 20; y++) box.set(11, y, 1f);
        GreyImage field = Preprocessing.centreByMass(box);
        double[] c = Preprocessing.centreOfMass(field);
        assertEquals(14, c[0], 0.5);
        assertEquals(14, c[1], 0.5);
        assertEquals(28, field.width());
    }

    @Test
    void aLopsidedDigitIsNotPushedOutOfTheField() {
        GreyImage box = rect(20, 20, 0, 0, 0, 2, 20, 1f);
        for (int y = 0; y < 20; y++) box.set(19, y, 0.05f);
        GreyImage field = Preprocessing.centreByMass(box);
        float total = 0;
        for (float f : field.v()) total += f;
        assertEquals(40 + 20 * 0.05f, total, 1e-4);
    }

    // ----- 10. bytes -----

    @Test
    void theStrongestInkBecomes255() {
        byte[] b = Preprocessing.toBytes(new GreyImage(3, 1, new float[] {0, 0.2f, 0.8f}));
        assertArrayEquals(new byte[] {0, 64, (byte) 255}, b); // 255 * 0.2 / 0.8 = 63.75
    }

    // ----- MNIST-shaped images and the whole pipeline -----

    @Test
    void anMnistShapedImageIsUsedByteForByte() {
        byte[] px = new byte[784];
        Random rng = new Random(3);
        for (int y = 4; y < 24; y++) for (int x = 4; x < 24; x++) px[y * 28 + x] = (byte) rng.nextInt(256);
        Preprocessing.Result r = Preprocessing.toMnist(grey(28, 28, px), Invert.AUTO);
        assertTrue(r.asIs());
        assertArrayEquals(px, r.pixels());
    }

    @Test
    void a28x28ImageWithALightBackgroundIsPreprocessed() {
        byte[] px = new byte[784];
        java.util.Arrays.fill(px, (byte) 240);
        for (int y = 6; y < 22; y++) for (int x = 12; x < 16; x++) px[y * 28 + x] = 10;
        Preprocessing.Result r = Preprocessing.toMnist(grey(28, 28, px), Invert.AUTO);
        assertFalse(r.asIs());
        assertTrue(r.inverted());
        assertEquals(0, r.pixels()[0]);
    }

    @Test
    void invertYesNeverUsesTheImageAsIs() {
        // forced inversion of white-on-black makes the background the brightest thing: nothing is left
        byte[] px = new byte[784];
        for (int y = 6; y < 22; y++) for (int x = 12; x < 16; x++) px[y * 28 + x] = (byte) 255;
        assertThrows(Preprocessing.NoDigitException.class, () -> Preprocessing.toMnist(grey(28, 28, px), Invert.YES));
    }

    @Test
    void anOffCentreDarkRingOnPaperComesOutWhiteCentredAndTwentyPixelsTall() {
        // a 60x90 dark ellipse-ish ring drawn far from the centre of a 400x300 light sheet
        GreyImage sheet = rect(400, 300, 0.85f, 0, 0, 0, 0, 0);
        for (int y = 0; y < 90; y++) {
            for (int x = 0; x < 60; x++) {
                double d = Math.hypot((x - 29.5) / 30, (y - 44.5) / 45);
                if (d <= 1 && d > 0.8) sheet.set(20 + x, 190 + y, 0.1f);
            }
        }
        Preprocessing.Result r = Preprocessing.toMnist(picture(sheet), Invert.AUTO);
        assertTrue(r.inverted());
        GreyImage field = new GreyImage(28, 28, new float[784]);
        int top = 28, bottom = -1;
        for (int i = 0; i < 784; i++) {
            field.v()[i] = (r.pixels()[i] & 0xFF) / 255f;
            if (field.v()[i] > 0) {
                top = Math.min(top, i / 28);
                bottom = Math.max(bottom, i / 28);
            }
        }
        assertEquals(20, bottom - top + 1);
        double[] c = Preprocessing.centreOfMass(field);
        assertEquals(14, c[0], 0.6);
        assertEquals(14, c[1], 0.6);
    }
}
