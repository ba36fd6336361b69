package lenet.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import lenet.image.Page;
import lenet.image.Variants;
import org.junit.jupiter.api.Test;

/** When an answer is called unsure, and why. */
class ReadingTest {
    private static final Page.Digit DIGIT = new Page.Digit(new Page.Box(0, 0, 10, 20), new byte[784], 0.5, "");

    private static float[] sure(int d) {
        float[] p = new float[10];
        java.util.Arrays.fill(p, 0.01f);
        p[d] = 0.91f;
        return p;
    }

    @Test
    void aConfidentStableAnswerIsSure() {
        Reading.DigitAnswer a = Reading.judge(DIGIT, sure(7), Collections.nCopies(6, sure(7)));
        assertEquals(7, a.digit());
        assertNull(a.unsure());
    }

    @Test
    void aConfidentAnswerUnlikeTheTrainingDigitsIsUnsure() {
        List<float[]> steady = Collections.nCopies(6, sure(8));
        assertNull(Reading.judge(DIGIT, sure(8), steady, 200, 291).unsure(), "within the limit");
        assertNull(Reading.judge(DIGIT, sure(8), steady, Double.NaN, Double.NaN).unsure(), "no familiarity known");
        assertEquals("unlike the digits the model learned from (distance 512 from the nearest; 99% of its test digits are under 291): a letter or a sign?",
                Reading.judge(DIGIT, sure(8), steady, 512, 291).unsure());
    }

    @Test
    void inkWithLoopsTheDigitCannotHaveIsUnsure() {
        List<float[]> eights = Collections.nCopies(6, sure(8)), ones = Collections.nCopies(6, sure(1));
        // An "x" read as an 8: no loop at all.
        assertEquals("the ink has no loop, where an 8 has at least 1: a letter or a sign?",
                Reading.judge(DIGIT, sure(8), eights, Double.NaN, Double.NaN, 0, 0).unsure());
        assertNull(Reading.judge(DIGIT, sure(8), eights, Double.NaN, Double.NaN, 1, 1).unsure(), "an 8 with one loop shut");
        assertNull(Reading.judge(DIGIT, sure(8), eights, Double.NaN, Double.NaN, 0, 1).unsure(), "a loop under the size counted as most is still a loop");
        // An "R" read as a 1: one loop, where a 1 has none.
        assertEquals("the ink has 1 loop, where a 1 has none: a letter or a sign?",
                Reading.judge(DIGIT, sure(1), ones, Double.NaN, Double.NaN, 1, 1).unsure());
        assertEquals("the ink has 2 loops, where a 5 has at most 1: a letter or a sign?",
                Reading.judge(DIGIT, sure(5), Collections.nCopies(6, sure(5)), Double.NaN, Double.NaN, 2, 2).unsure());
        assertNull(Reading.judge(DIGIT, sure(1), ones, Double.NaN, Double.NaN, -1, -1).unsure(), "not judged (a Fashion-MNIST model)");
    }

    @Test
    void loopsAreTheHolesOfTheDigitTheNetworkSees() {
        byte[] ring = new byte[784], eight = new byte[784], bar = new byte[784];
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                double top = Math.hypot(x - 14, y - 9), bottom = Math.hypot(x - 14, y - 19), middle = Math.hypot(x - 14, y - 14);
                if (middle >= 5 && middle <= 8) ring[y * 28 + x] = (byte) 255;
                if (top >= 3 && top <= 5 || bottom >= 3 && bottom <= 5) eight[y * 28 + x] = (byte) 255;
                if (x >= 13 && x <= 15 && y >= 4 && y <= 24) bar[y * 28 + x] = (byte) 255;
            }
        }
        assertEquals(1, lenet.image.Holes.loops(ring, 28));
        assertEquals(2, lenet.image.Holes.loops(eight, 28));
        assertEquals(0, lenet.image.Holes.loops(bar, 28));
        byte[] speck = bar.clone();
        for (int y = 10; y < 14; y++) for (int x = 12; x <= 16; x++) speck[y * 28 + x] = (byte) 255;
        speck[12 * 28 + 14] = 0; // a one-pixel gap inside a thick stroke
        assertEquals(0, lenet.image.Holes.loops(speck, 28), "under the smallest loop");
        assertEquals(1, lenet.image.Holes.loops(speck, 28, 1), "counted when every hole counts");
    }

    @Test
    void aDigitFromAPictureOfSpecksIsUnsure() {
        Page.Digit grain = new Page.Digit(DIGIT.box(), DIGIT.pixels(), 0.5, "", false, "the picture is mostly specks (371 dropped): the paper's grain or noise, not writing");
        assertEquals(grain.doubt(), Reading.judge(grain, sure(1), Collections.nCopies(6, sure(1))).unsure());
    }

    @Test
    void lowConfidenceWideInkAndInstabilityAreUnsure() {
        float[] low = sure(3);
        low[3] = 0.6f;
        assertTrue(Reading.judge(DIGIT, low, List.of()).unsure().startsWith("low confidence (3 60.0%"));
        Page.Digit wide = new Page.Digit(DIGIT.box(), DIGIT.pixels(), 1.6, "");
        assertTrue(Reading.judge(wide, sure(1), List.of()).unsure().startsWith("wider than a digit"));
        List<float[]> variants = new java.util.ArrayList<>(Collections.nCopies(6, sure(8)));
        variants.set(4, sure(3));
        assertEquals("not stable: turned 12 degrees clockwise it reads as 3", Reading.judge(DIGIT, sure(8), variants).unsure());
    }

    @Test
    void aDigitCutFromTouchingInkIsNeverSure() {
        Page.Digit cut = new Page.Digit(DIGIT.box(), DIGIT.pixels(), 0.5, "touching", true);
        Reading.DigitAnswer a = Reading.judge(cut, sure(4), Collections.nCopies(6, sure(4)));
        assertEquals(4, a.digit());
        assertTrue(a.unsure().startsWith("cut apart from a neighbour it touches"), a.unsure());
        float[] low = sure(4);
        low[4] = 0.5f;
        assertTrue(Reading.judge(cut, low, List.of()).unsure().startsWith("low confidence"), "the first reason found is given");
    }

    @Test
    void variantsMoveAndTurnTheField() {
        byte[] px = new byte[784];
        px[14 * 28 + 14] = (byte) 200;
        List<byte[]> v = Reading.variants(px);
        assertEquals(6, v.size());
        assertEquals((byte) 200, v.get(0)[14 * 28 + 16]); // right by 2
        assertEquals((byte) 200, v.get(3)[12 * 28 + 14]); // up by 2
        assertArrayEquals(px, Variants.turned(px, 0));
        byte[] bar = new byte[784];
        for (int y = 4; y < 24; y++) bar[y * 28 + 13] = bar[y * 28 + 14] = (byte) 255;
        byte[] turned = Variants.turned(Variants.turned(bar, 12), -12);
        int diff = 0;
        for (int i = 0; i < 784; i++) diff += Math.abs((turned[i] & 0xFF) - (bar[i] & 0xFF));
        assertTrue(diff < 784 * 255 / 20, "turning back almost restores the bar: " + diff);
    }

    @Test
    void theTextJoinsTheDigitsAndTheReasonsAreNumbered() {
        Reading.DigitAnswer four = Reading.judge(DIGIT, sure(4), List.of());
        float[] low = sure(2);
        low[2] = 0.5f;
        Reading.DigitAnswer two = Reading.judge(DIGIT, low, List.of());
        Reading r = new Reading(Path.of("x.png"), new Page.Result(List.of(DIGIT, DIGIT), false, true, List.of()), List.of(four, two), null);
        assertEquals("42", r.text());
        assertTrue(r.unsure().startsWith("digit 2: low confidence"), r.unsure());
    }
}
