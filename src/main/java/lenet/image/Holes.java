package lenet.image;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The holes of a black-and-white drawing: regions of paper (4-connected) that ink closes off from
 * the drawing's border, as in a "0", a "6" or an "8".
 */
public final class Holes {
    private Holes() {}

    /** A hole of a 28x28 digit smaller than this many pixels is a gap between strokes, not a loop. */
    static final int SMALLEST_LOOP = 3;

    /**
     * The loops of a 28x28 digit as the network sees it (row-major bytes, 0 paper to 255 ink, ink
     * taken at 128 and over): its holes of at least {@link #SMALLEST_LOOP} pixels. A "0" has one, an
     * "8" two, a "1" none.
     */
    public static int loops(byte[] pixels, int side) {
        return loops(pixels, side, SMALLEST_LOOP);
    }

    /**
     * As {@link #loops(byte[], int)}, counting holes of at least {@code smallest} pixels.
     */
    public static int loops(byte[] pixels, int side, int smallest) {
        float[] v = new float[side * side];
        for (int i = 0; i < v.length; i++) v[i] = (pixels[i] & 0xFF) >= 128 ? 1 : 0;
        GreyImage ink = new GreyImage(side, side, v);
        int n = 0;
        for (int[] hole : of(ink)) if (hole.length >= smallest) n++;
        return n;
    }

    /** Each hole's pixels (indices y * width + x), in the order they are met row by row. */
    static List<int[]> of(GreyImage d) {
        int w = d.width(), h = d.height();
        boolean[] seen = new boolean[w * h];
        int[] stack = new int[w * h];
        List<int[]> holes = new ArrayList<>();
        for (int start = 0; start < w * h; start++) {
            if (d.v()[start] > 0 || seen[start]) continue;
            int top = 0, n = 0;
            boolean border = false;
            int[] members = new int[16];
            stack[top++] = start;
            seen[start] = true;
            while (top > 0) {
                int p = stack[--top];
                if (n == members.length) members = Arrays.copyOf(members, 2 * n);
                members[n++] = p;
                int x = p % w, y = p / w;
                if (x == 0 || y == 0 || x == w - 1 || y == h - 1) border = true;
                int[] next = {x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, y > 0 ? p - w : -1, y < h - 1 ? p + w : -1};
                for (int q : next) {
                    if (q < 0 || d.v()[q] > 0 || seen[q]) continue;
                    seen[q] = true;
                    stack[top++] = q;
                }
            }
            if (!border) holes.add(Arrays.copyOf(members, n));
        }
        return holes;
    }

    /** How many rows a hole spans. */
    static int height(int[] hole, int width) {
        int y0 = Integer.MAX_VALUE, y1 = -1;
        for (int p : hole) {
            y0 = Math.min(y0, p / width);
            y1 = Math.max(y1, p / width);
        }
        return y1 - y0 + 1;
    }
}
