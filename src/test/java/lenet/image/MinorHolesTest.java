package lenet.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** Filling the specks of paper a wide pen leaves inside a digit, and only those. */
class MinorHolesTest {
    /** A solid block with the given holes (x0, y0, x1, y1 exclusive) cut out. */
    private static GreyImage block(int w, int h, int[]... holes) {
        GreyImage g = GreyImage.zeros(w, h);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) g.set(x, y, 1);
        for (int[] r : holes) for (int y = r[1]; y < r[3]; y++) for (int x = r[0]; x < r[2]; x++) g.set(x, y, 0);
        return g;
    }

    @Test
    void aSpeckBesideALargeHoleIsFilled() {
        // A "9": its bowl (10x12 = 120 px) and a speck where the tail meets it (3x3 = 9 px, under a quarter).
        GreyImage nine = block(20, 40, new int[] {5, 5, 15, 17}, new int[] {4, 24, 7, 27});
        GreyImage out = Preprocessing.withoutMinorHoles(nine);
        assertEquals(1f, out.get(5, 25), "speck filled");
        assertEquals(0f, out.get(10, 10), "bowl kept");
    }

    @Test
    void aDigitsOwnHolesAreKept() {
        GreyImage eight = block(20, 40, new int[] {6, 5, 14, 15}, new int[] {5, 22, 15, 34});
        assertSame(eight, Preprocessing.withoutMinorHoles(eight), "an 8's two holes are of a size");
        GreyImage zero = block(20, 40, new int[] {9, 10, 11, 30});
        assertSame(zero, Preprocessing.withoutMinorHoles(zero), "a bold 0's only hole, however thin");
    }
}
