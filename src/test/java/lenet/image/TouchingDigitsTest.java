package lenet.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Cutting digits that touch, with a stand-in for the network that knows how wide a digit is. */
class TouchingDigitsTest {
    /** A ring (a "0") of outer radius r and stroke s centred at (cx, cy), drawn into img. */
    private static void ring(GreyImage img, double cx, double cy, double rx, double ry, double s) {
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                double d = Math.hypot((x + 0.5 - cx) / rx, (y + 0.5 - cy) / ry);
                if (d <= 1 && d >= 1 - s / Math.min(rx, ry)) img.set(x, y, 1);
            }
        }
    }

    /** Two rings 30 wide and 50 tall whose strokes overlap by 2 pixels: one piece of ink. */
    private static GreyImage twoTouchingRings() {
        GreyImage img = GreyImage.zeros(58, 50);
        ring(img, 15, 25, 15, 25, 5);
        ring(img, 43, 25, 15, 25, 5);
        assertEquals(1, Components.of(img).pieces().size(), "the rings touch");
        return img;
    }

    /** Reads a piece best when it is about 30 pixels wide (log-probability 0), worse the further its width is from that. */
    private static double digitWide(GreyImage p) {
        return -Math.abs(p.width() - 30) / 10.0;
    }

    @Test
    void touchingDigitsAreCutWhereTheyMeet() {
        GreyImage two = twoTouchingRings();
        assertTrue(TouchingDigits.worthTrying(two.width(), two.height(), 30));
        TouchingDigits.Split split = TouchingDigits.split(two, 30, TouchingDigitsTest::digitWide);
        assertNotNull(split);
        assertEquals(2, split.count());
        assertTrue(split.touched(), "the cut crossed ink");
        double x = split.cuts().get(0).meanX();
        assertTrue(x > 24 && x < 34, "cut near the joint at x = 29, was " + x);
        for (GreyImage d : split.digits()) assertTrue(Math.abs(d.width() - 30) <= 6, "each half a ring's width: " + d.width());
    }

    @Test
    void aPieceTheNetworkReadsBestWholeStaysWhole() {
        GreyImage one = GreyImage.zeros(40, 50);
        ring(one, 20, 25, 20, 25, 5);
        TouchingDigits.Split split = TouchingDigits.split(one, 30, p -> p.width() == one.width() ? 0 : -2);
        assertNotNull(split);
        assertEquals(1, split.count());
        assertFalse(split.touched());
        assertFalse(TouchingDigits.worthTrying(20, 50, 30), "a narrow piece is not looked at");
    }

    @Test
    void theOnlyPieceInAPictureIsReadWholeUnlessItsPartsReadClearlyBetter() {
        // The halves of two touching rings read a little better than the whole (-0.1 each, less
        // what the cut through their joint costs, about half, against -0.9): in a line they are
        // cut; alone in the picture, one wide digit is likelier, and it stays whole. Halves that
        // read far better are cut even alone.
        GreyImage two = twoTouchingRings();
        java.util.function.ToDoubleFunction<GreyImage> close = p -> p.width() == two.width() ? -0.9 : -0.1;
        assertEquals(2, TouchingDigits.split(two, 58, false, close).count());
        assertEquals(1, TouchingDigits.split(two, 58, true, close).count());
        java.util.function.ToDoubleFunction<GreyImage> far = p -> p.width() == two.width() ? -3 : -0.1;
        assertEquals(2, TouchingDigits.split(two, 58, true, far).count());
    }

    @Test
    void aZeroLeaningWiderThanTallIsNotCutThroughItsHole() {
        // A wide "0", 1.35 times as wide as tall, too wide for the width it is expected at: the
        // reader likes each half (a 27-px piece) nearly as well as the whole. Cut paths keep out
        // of the ring's hole, so any cut crosses the ring's strokes twice, two stretches of ink,
        // and that costs more than the halves gain.
        GreyImage wide = GreyImage.zeros(54, 40);
        ring(wide, 27, 20, 27, 20, 5);
        boolean[] hole = TouchingDigits.bigHoles(wide, 40 / 3.0);
        assertTrue(hole[20 * 54 + 27], "the ring's middle is a big hole");
        assertFalse(hole[0], "the paper outside is not");
        TouchingDigits.Split split = TouchingDigits.split(wide, 27, p -> p.width() == wide.width() ? -0.3 : -0.15 - Math.abs(p.width() - 27) / 30.0);
        assertNotNull(split);
        assertEquals(1, split.count(), "kept whole");
    }

    @Test
    void variantsMoveAndTurnTheField() {
        byte[] px = new byte[784];
        px[14 * 28 + 14] = (byte) 255;
        List<byte[]> v = Variants.of(px);
        assertEquals(Variants.DESCRIPTIONS.length, v.size());
        assertEquals((byte) 255, v.get(0)[14 * 28 + 16]);
        assertEquals((byte) 255, v.get(2)[16 * 28 + 14]);
        assertArrayEquals(px, Variants.shifted(Variants.shifted(px, 3, -2), -3, 2));
    }

    /** A network that reads everything as a sure 4, judging familiarity as told. */
    private static Page.Classifier sureFour(boolean familiar) {
        return new Page.Classifier() {
            @Override
            public float[] probabilities(byte[] pixels) {
                float[] p = new float[10];
                java.util.Arrays.fill(p, 0.001f);
                p[4] = 0.991f;
                return p;
            }

            @Override
            public boolean familiar(byte[] pixels) {
                return familiar;
            }
        };
    }

    @Test
    void aConfidentReadingUnlikeAnyDigitIsNotSureAndReadsWorseAsAPiece() {
        // Two digits squeezed into one box ("94" read as a 4) may be read confidently and steadily;
        // their features, far from every class, say it is not one digit, so the piece may be cut.
        byte[] px = new byte[784];
        for (int y = 6; y < 22; y++) px[y * 28 + 14] = (byte) 255;
        assertTrue(Page.readsSurely(sureFour(true), px));
        assertFalse(Page.readsSurely(sureFour(false), px));
        assertEquals(Page.readingOfPiece(sureFour(true), px) - Page.UNFAMILIAR, Page.readingOfPiece(sureFour(false), px), 1e-12);
    }

    @Test
    void aPieceNoCutCanMakeDigitsOfIsReadWholeNotCutByWidth() {
        // A stem on a flat box, 1.5 times as wide as tall: too wide to be taken whole by the splitter,
        // and every cut leaves a bare bar under half its height. It is one digit, said to be too
        // wide, not two halves cut blindly at the middle.
        GreyImage sheet = GreyImage.zeros(400, 200);
        java.util.Arrays.fill(sheet.v(), 0.9f);
        for (int y = 90; y < 150; y++) {
            for (int x = 100; x < 300; x++) if (y < 102 || y >= 138 || x < 112 || x >= 288) sheet.set(x, y, 0.1f); // a flat box
        }
        for (int y = 20; y < 90; y++) for (int x = 194; x < 206; x++) sheet.set(x, y, 0.1f); // a stem on it
        Page.Result r = Page.read(PreprocessingTest.picture(sheet), 1, Page.Options.defaults(), Page.Trace.NONE, sureFour(true));
        assertEquals(1, r.digits().size());
        assertTrue(r.digits().get(0).aspect() > 1.5, "aspect " + r.digits().get(0).aspect());
    }
}
