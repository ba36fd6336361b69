package lenet.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The general image algorithms, each against a plain reference or a case worked by hand. */
class ImageAlgorithmsTest {
    private static GreyImage random(int w, int h, long seed) {
        Random rng = new Random(seed);
        GreyImage g = GreyImage.zeros(w, h);
        for (int i = 0; i < g.v().length; i++) g.v()[i] = rng.nextFloat();
        return g;
    }

    /** The k x k maximum (or minimum) by brute force, the window cut at the edges. */
    private static float window(GreyImage g, int x, int y, int k, boolean max) {
        int r = k / 2;
        float best = max ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
        for (int qy = Math.max(0, y - r); qy <= Math.min(g.height() - 1, y + r); qy++) {
            for (int qx = Math.max(0, x - r); qx <= Math.min(g.width() - 1, x + r); qx++) best = max ? Math.max(best, g.get(qx, qy)) : Math.min(best, g.get(qx, qy));
        }
        return best;
    }

    @ParameterizedTest(name = "window {0}")
    @ValueSource(ints = {1, 3, 5, 7, 15, 41})
    void vanHerkMaxAndMinMatchBruteForce(int k) {
        GreyImage g = random(37, 23, k);
        GreyImage max = Morphology.max(g, k), min = Morphology.min(g, k);
        for (int y = 0; y < 23; y++) {
            for (int x = 0; x < 37; x++) {
                assertEquals(window(g, x, y, k, true), max.get(x, y), 0, "max at " + x + "," + y);
                assertEquals(window(g, x, y, k, false), min.get(x, y), 0, "min at " + x + "," + y);
            }
        }
    }

    @Test
    void closingFillsAStrokeAndKeepsAHardShadowEdge() {
        // paper 0.9 left of x = 30, a shadow at 0.45 right of it; a 3-px dark stroke across both at y 10-12
        GreyImage g = GreyImage.zeros(60, 30);
        for (int y = 0; y < 30; y++) for (int x = 0; x < 60; x++) g.set(x, y, (x < 30 ? 0.9f : 0.45f) * (y >= 10 && y < 13 ? 0.2f : 1));
        GreyImage paper = Morphology.close(g, 9);
        assertEquals(0.9f, paper.get(10, 11), 1e-6f);  // the stroke filled with the paper around it
        assertEquals(0.45f, paper.get(50, 11), 1e-6f); // in the shadow, with the shadow's level
        assertEquals(0.9f, paper.get(29, 0), 1e-6f);   // the edge stays where it is
        assertEquals(0.45f, paper.get(30, 0), 1e-6f);
    }

    @Test
    void inkContrastIsTheSameInTheShadowAsInTheLight() {
        GreyImage g = GreyImage.zeros(80, 40);
        Random rng = new Random(2);
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 80; x++) {
                float light = x < 40 ? 0.9f : 0.4f;
                float v = light * (x % 20 >= 8 && x % 20 < 11 && y > 5 && y < 35 ? 0.3f : 1) + 0.005f * (float) rng.nextGaussian();
                g.set(x, y, v);
            }
        }
        Background.Ink ink = Background.ink(g, true, 15);
        assertEquals(ink.ink().get(9, 20), ink.ink().get(69, 20), 0.1f); // strokes in light and in shadow
        assertTrue(ink.ink().get(9, 20) > 0.8f);
        assertEquals(0f, ink.ink().get(35, 2), 0f); // paper
        assertEquals(0f, ink.ink().get(50, 2), 0f); // shadowed paper
        assertEquals(0.7f, ink.peak(), 0.05f);      // 1 - 0.3
    }

    @Test
    void darkInkIsFoundWhenAShadowCoversMostOfThePage() {
        GreyImage g = GreyImage.zeros(100, 60);
        for (int y = 0; y < 60; y++) {
            for (int x = 0; x < 100; x++) {
                float light = x < 30 ? 0.9f : 0.45f; // the shadow: 70% of the page, the median
                g.set(x, y, light * (x % 16 < 3 && y > 10 && y < 50 ? 0.15f : 1));
            }
        }
        assertTrue(Background.darkInk(g, 25));
        GreyImage chalk = GreyImage.zeros(100, 60);
        for (int i = 0; i < chalk.v().length; i++) chalk.v()[i] = 1 - g.v()[i];
        assertTrue(!Background.darkInk(chalk, 25));
    }

    @Test
    void componentsMeasureEachPiece() {
        GreyImage g = GreyImage.zeros(20, 10);
        for (int y = 2; y < 8; y++) for (int x = 1; x < 4; x++) g.set(x, y, 1); // 3x6 bar
        g.set(10, 0, 1); // a dot on the top edge
        Components c = Components.of(g);
        assertEquals(2, c.pieces().size());
        Components.Piece dot = c.pieces().get(0), bar = c.pieces().get(1);
        assertEquals(1, dot.area());
        assertEquals(1, dot.onBorder());
        assertEquals(18, bar.area());
        assertEquals(3, bar.width());
        assertEquals(6, bar.height());
        assertEquals(18, bar.edges()); // 3 + 3 + 6 + 6
        assertEquals(1.0, bar.fill(), 1e-9);
        assertEquals(2.0 * 18 / (18 * Math.PI / 4), bar.strokeWidth(), 1e-9);
    }

    @Test
    void skeletonOfAThickBarIsAThinConnectedLineAlongItsMiddle() {
        GreyImage bar = GreyImage.zeros(40, 20);
        for (int y = 5; y < 14; y++) for (int x = 4; x < 36; x++) bar.set(x, y, 1);
        GreyImage s = Thinning.skeleton(bar);
        int[] perColumn = new int[40];
        for (int y = 0; y < 20; y++) for (int x = 0; x < 40; x++) if (s.get(x, y) > 0) perColumn[x]++;
        for (int x = 10; x < 30; x++) {
            assertEquals(1, perColumn[x], "column " + x);
            assertEquals(1f, s.get(x, 9), "column " + x + " on the middle row");
        }
        assertEquals(1, Components.of(s).pieces().size());
    }

    @Test
    void thinningKeepsAHole() {
        GreyImage ring = PreprocessingTest.ring(30, 10, 2);
        GreyImage s = Thinning.skeleton(ring);
        assertEquals(1, Components.of(s).pieces().size());
        double c = s.width() / 2.0;
        for (int a = 0; a < 360; a += 5) { // every ray from the centre meets the skeleton: the ring is closed
            boolean met = false;
            for (double d = 0; d < c && !met; d += 0.5) {
                int x = (int) (c + d * Math.cos(Math.toRadians(a))), y = (int) (c + d * Math.sin(Math.toRadians(a)));
                for (int dy = 0; dy <= 1; dy++) for (int dx = 0; dx <= 1; dx++) met |= x + dx < s.width() && y + dy < s.height() && s.get(x + dx, y + dy) > 0;
            }
            assertTrue(met, "ray at " + a + " degrees");
        }
    }

    @Test
    void deskewMakesASlantedBarUpright() {
        GreyImage g = GreyImage.zeros(60, 60);
        for (int y = 5; y < 55; y++) for (int x = 0; x < 6; x++) g.set(10 + (55 - y) * 2 / 3 + x, y, 1); // leaning right
        double skew = Moments.skew(g);
        assertEquals(-2.0 / 3, skew, 0.02);
        GreyImage straight = Moments.deskew(g, skew);
        assertEquals(0, Moments.skew(straight), 0.02);
    }

    @Test
    void distanceDilationIsADisc() {
        GreyImage dot = GreyImage.zeros(21, 21);
        dot.set(10, 10, 1);
        GreyImage disc = DistanceTransform.dilate(dot, 5);
        int area = 0;
        for (float f : disc.v()) area += (int) f;
        assertEquals(81, area); // lattice points within distance 5 of the centre
    }

    @Test
    void otsuSplitsTwoLevelsAndLabelsAgree() {
        float[] v = new float[100];
        for (int i = 0; i < 100; i++) v[i] = i < 70 ? 0.2f : 0.8f;
        float t = Otsu.threshold(v);
        assertTrue(t > 0.2f && t <= 0.8f, "threshold " + t);
        int[] mask = {1, 0, 1, 1};
        assertArrayEquals(new int[] {0, 1, 2}, Components.label(mask, 4, 1));
    }

    @Test
    void segmentationDropsAnUnderlineACircleAndSpecksAndJoinsABrokenFive() {
        GreyImage g = GreyImage.zeros(300, 200);
        fill(g, 40, 40, 8, 80);          // a "1"
        fill(g, 100, 40, 40, 8);         // the detached top bar of a "5" ...
        fill(g, 100, 55, 8, 30);         // ... and its body
        fill(g, 100, 85, 40, 8);
        fill(g, 132, 85, 8, 35);
        fill(g, 100, 112, 40, 8);
        fill(g, 20, 140, 160, 6);        // an underline under both
        fill(g, 250, 20, 2, 2);          // a speck
        ring(g, 240, 90, 35, 4);         // a circle around ...
        fill(g, 237, 75, 6, 30);         // ... a "1"
        Components c = Components.of(g);
        Segmentation.Found f = Segmentation.digits(c, 300, 200);
        assertEquals(3, f.digits().size(), f.toString());
        assertEquals(1, f.digits().get(0).pieces().size());
        assertEquals(2, f.digits().get(1).pieces().size(), "the five's bar joins its body");
        assertTrue(String.join("; ", f.dropped()).contains("underline"), f.dropped().toString());
        assertTrue(String.join("; ", f.dropped()).contains("circle"), f.dropped().toString());
        assertTrue(String.join("; ", f.dropped()).contains("speck"), f.dropped().toString());
    }

    @Test
    void aMarkWithinADigitsBoxButOutsideItsLoopDoesNotMakeItACircle() {
        // A handwritten "3", open on its left, with a stray upright mark by its right side, inside
        // its box: the mark is not enclosed, so the "3" is not a circle drawn round it.
        GreyImage g = GreyImage.zeros(300, 200);
        fill(g, 100, 40, 70, 5);   // the top arc
        fill(g, 120, 98, 50, 5);   // the middle
        fill(g, 100, 155, 70, 5);  // the foot
        fill(g, 165, 40, 5, 120);  // the right side, joining them
        fill(g, 150, 110, 4, 40);  // the mark, under the middle, against the right side's inside
        Segmentation.Found f = Segmentation.digits(Components.of(g), 300, 200);
        assertFalse(String.join("; ", f.dropped()).contains("circle"), f.dropped().toString());
        assertEquals(1, f.digits().size(), f.toString());
    }

    @Test
    void aMarkFarBelowTheLineIsNeitherJoinedToADigitNorReadAsOne() {
        // A shadow's edge leaves a thin sliver under the line: it overlaps a digit's columns, but
        // lies far below it, so it is not part of that digit, and it is not a digit of the line.
        GreyImage g = GreyImage.zeros(300, 200);
        fill(g, 40, 40, 8, 80);    // "1"
        fill(g, 100, 40, 40, 80);  // a digit-sized block
        fill(g, 160, 40, 8, 80);   // "1"
        fill(g, 110, 165, 6, 34);  // the sliver, 45 px under the block
        Segmentation.Found f = Segmentation.digits(Components.of(g), 300, 200);
        assertEquals(3, f.digits().size(), f.toString());
        for (Segmentation.Group d : f.digits()) assertEquals(80, d.height(), f.toString());
        assertTrue(String.join("; ", f.dropped()).contains("below the line"), f.dropped().toString());
    }

    @Test
    void aWedgeCutOffByThePicturesEdgeIsNotADigitButAStrokeRunningOutOfItIs() {
        // A shadow's corner that the background estimate missed: a small filled wedge along the
        // right edge, the only ink on a blank page (too short an edge for ALONG_EDGE alone).
        GreyImage g = GreyImage.zeros(300, 200);
        for (int y = 0; y < 18; y++) for (int x = 299 - y / 2; x < 300; x++) g.set(x, y, 1);
        Segmentation.Found f = Segmentation.digits(Components.of(g), 300, 200);
        assertEquals(0, f.digits().size(), f.toString());
        assertTrue(String.join("; ", f.dropped()).contains("cut off by the picture's edge"), f.dropped().toString());
        // A "1" whose foot runs out of the bottom touches the edge only by its width: kept.
        GreyImage one = GreyImage.zeros(300, 200);
        fill(one, 100, 120, 8, 80);
        assertEquals(1, Segmentation.digits(Components.of(one), 300, 200).digits().size());
    }

    /** The brightness of a drawing at (x, y), 0 black to 1 white. */
    private interface Drawing {
        double at(int x, int y);
    }

    /** A 260x260 picture of {@code drawing} with Gaussian grain of {@code sigma} added, clipped to 1. */
    private static GreyImage grainyPaper(long seed, double sigma, Drawing drawing) {
        java.util.Random rng = new java.util.Random(seed);
        GreyImage sheet = GreyImage.zeros(260, 260);
        for (int y = 0; y < 260; y++) for (int x = 0; x < 260; x++) sheet.set(x, y, (float) Math.min(1, drawing.at(x, y) + sigma * rng.nextGaussian()));
        return sheet;
    }

    @Test
    void aThinStraightOneOnGrainyPaperIsReadTheRightWayRound() {
        // A "1" written as one straight ballpoint stroke fills its narrow box: it still counts as a
        // pen stroke when deciding which way round the picture is, or the paper's grain, read the
        // other way round, wins (a "1" had been read as "88881").
        GreyImage sheet = grainyPaper(3, 0.04, (x, y) -> x >= 128 && x < 133 && y >= 75 && y < 185 ? 0.2 : 0.88);
        Page.Result r = Page.read(PreprocessingTest.picture(sheet), 1, Page.Options.defaults(), Page.Trace.NONE);
        assertTrue(r.inverted(), "dark ink on light paper");
        assertEquals(1, r.digits().size(), r.notes().toString());
        assertTrue(r.digits().get(0).aspect() < 0.1, "the stroke itself: " + r.digits().get(0).aspect());
    }

    @Test
    void aFinePensZeroWithAStemIsReadTheRightWayRound() {
        // A 3-px ellipse with a stroke on top covers 6% of its box: still a pen's drawing, or the
        // paper inside it, read the other way round, won ("11", surely).
        GreyImage sheet = grainyPaper(1, 0, (x, y) -> {
            double r = Math.hypot((x - 130) / 50.0, (y - 140) / 80.0);
            boolean ring = Math.abs(r - 1) * 65 < 1.5, stem = Math.abs(x - 130) <= 1 && y >= 10 && y <= 60;
            return ring || stem ? 0.2 : 0.93;
        });
        Page.Result r = Page.read(PreprocessingTest.picture(sheet), 1, Page.Options.defaults(), Page.Trace.NONE);
        assertTrue(r.inverted(), "dark ink on light paper");
        assertEquals(1, r.digits().size(), r.notes().toString());
    }

    @Test
    void faintPencilIsNotReadTheOtherWayRound() {
        // A pencil "0" fainter than the floor, on slightly grainy paper. Read the way it looks it is
        // too faint, and that is the answer (naming the floor and --contrast): read the other way
        // round, the paper inside the loop stood out as ink and was read as "11", surely.
        GreyImage sheet = grainyPaper(5, 0.004, (x, y) -> {
            double r = Math.hypot((x - 130) / 38.0, (y - 130) / 50.0);
            return r >= 0.93 && r <= 1.0 ? 0.83 : 0.88;
        });
        Preprocessing.NoDigitException e = org.junit.jupiter.api.Assertions.assertThrows(Preprocessing.NoDigitException.class,
                () -> Page.read(PreprocessingTest.picture(sheet), 1, Page.Options.defaults(), Page.Trace.NONE));
        assertTrue(e.getMessage().contains("blank or nearly so") && e.getMessage().contains("--contrast"), e.getMessage());
        // With the floor lowered, the pencil is read.
        Page.Options lower = new Page.Options(Preprocessing.Invert.AUTO, 0.01f, true, true, true, false, true);
        Page.Result r = Page.read(PreprocessingTest.picture(sheet), 1, lower, Page.Trace.NONE);
        assertEquals(1, r.digits().size());
        assertTrue(r.inverted(), "dark ink on light paper");
    }

    @Test
    void touchingDigitsAreCutAtTheThinnestColumn() {
        GreyImage g = GreyImage.zeros(150, 100);
        fill(g, 0, 0, 70, 100);   // two solid blocks joined by a thin bridge at columns 70-79
        fill(g, 80, 0, 70, 100);
        fill(g, 70, 48, 10, 4);
        int[] cuts = Segmentation.cuts(g);
        assertEquals(1, cuts.length);
        assertTrue(cuts[0] >= 70 && cuts[0] < 80, "cut at " + cuts[0]);
        assertEquals(0, Segmentation.cuts(GreyImage.zeros(60, 100)).length);
    }

    static void fill(GreyImage g, int x0, int y0, int w, int h) {
        for (int y = y0; y < y0 + h; y++) for (int x = x0; x < x0 + w; x++) g.set(x, y, 1);
    }

    static void ring(GreyImage g, int cx, int cy, double r, double s) {
        for (int y = 0; y < g.height(); y++) {
            for (int x = 0; x < g.width(); x++) {
                double d = Math.hypot(x - cx, y - cy);
                if (d <= r && d > r - s) g.set(x, y, 1);
            }
        }
    }

    @Test
    void pageReadsAStringOfMnistLikeDigitsAndRefusesABlankPage() {
        GreyImage sheet = GreyImage.zeros(300, 120);
        java.util.Arrays.fill(sheet.v(), 0.9f);
        for (int k = 0; k < 3; k++) for (int y = 30; y < 90; y++) for (int x = 50 + 80 * k; x < 58 + 80 * k; x++) sheet.set(x, y, 0.1f);
        Page.Result r = Page.read(PreprocessingTest.picture(sheet), 1, Page.Options.defaults(), Page.Trace.NONE);
        assertEquals(3, r.digits().size());
        assertTrue(r.inverted());
        for (Page.Digit d : r.digits()) assertEquals(784, d.pixels().length);
        assertTrue(r.digits().get(0).box().x() < r.digits().get(1).box().x());

        GreyImage blank = GreyImage.zeros(300, 120);
        java.util.Arrays.fill(blank.v(), 0.9f);
        Preprocessing.NoDigitException e = org.junit.jupiter.api.Assertions.assertThrows(Preprocessing.NoDigitException.class,
                () -> Page.read(PreprocessingTest.picture(blank), 1, Page.Options.defaults(), Page.Trace.NONE));
        assertTrue(e.getMessage().contains("floor") && e.getMessage().contains("--contrast"), e.getMessage());
    }

    @Test
    void thickStrokesAreThinnedToMnistsWidth() {
        GreyImage thick = PreprocessingTest.ring(60, 30, 0);
        GreyImage thin = Preprocessing.thinStrokes(thick);
        double ratio = Preprocessing.strokeWidth(thin) / thin.longerSide();
        assertEquals(Preprocessing.MNIST_STROKE_RATIO, ratio, 0.015);
    }
}
