package lenet.image;

/**
 * A sheet of paper on a darker, textured surface (a wooden table, a patterned cloth): the surface's
 * grain would otherwise be found as many short dark strokes, some of them digit-shaped.
 *
 * <p>The picture's paper level P (its closing with a 15-pixel window: strokes filled in with the
 * paper around them) is bright on the sheet and darker around it. Its values split in two by
 * Otsu's threshold; the sheet is the largest connected bright region, with its holes filled. The
 * surface around it is painted over with the sheet's own paper as it continues outwards
 * ({@link #paintedOver}), so the later steps see only the sheet, when all of these hold:
 *
 * <ul>
 *   <li>the two differ clearly: the surface's mean P is under {@link #DARKER} of the sheet's;</li>
 *   <li>the sheet is a real part of the picture: {@link #SMALLEST} to {@link #LARGEST} of it,
 *       and what lies inside it darker than its paper is at most {@link #MOST_INK} of it;</li>
 *   <li>the surface is textured (the median of |picture - P| there is at least {@link #GRAIN} and
 *       {@link #ROUGHER} times the sheet's), or the sheet lies wholly inside the picture with
 *       the darker surface all round it and either the picture reads as dark ink on light paper
 *       or the sheet is four-sided ({@link #rectangleFill} at least {@link #SQUARE}) and holds
 *       ink ({@link #holdsInk}): a sheet a fifth of the picture has bright edges that outweigh
 *       its ink, and the picture as a whole reads as light on dark. A shadow across a page is
 *       dark but as smooth as the paper and reaches the picture's edge where the page does, and
 *       may hold digits: it is kept. A large white digit on a black ground is bright with the
 *       dark all round it too, but the picture reads as light ink on a dark ground, its outline
 *       is no rectangle and its notches open onto the ground: it is not taken for a sheet (its
 *       ground would be painted white).</li>
 * </ul>
 */
public final class Sheet {
    private Sheet() {}

    static final int WINDOW = 15;
    static final double DARKER = 0.75;
    static final double SMALLEST = 0.15;
    /** At most this fraction of the sheet may be dark marks inside it (ink): a white digit on black, its holes filled, is mostly hole. */
    static final double MOST_INK = 0.25;
    static final double LARGEST = 0.9;
    static final double GRAIN = 0.03;
    static final double ROUGHER = 2;

    /**
     * The sheet found in {@code picture} (dark ink on light paper, 0 black to 1 white).
     *
     * @param mask    1 on the sheet, 0 on the surface around it
     * @param painted the picture with the surface painted over with the sheet's paper ({@link #paintedOver})
     */
    public record Found(GreyImage mask, GreyImage painted) {}

    /**
     * The picture with the surface around the sheet, and the sheet's outermost {@link #EDGE} pixels,
     * painted over with the sheet's paper as it continues outwards: each such pixel takes the paper
     * level P of the nearest (4-connected steps) pixel of the sheet's inner part. A sheet is rarely
     * lit evenly; painted with one level, the surface beside its darker side was brighter than the
     * paper there, and the background estimate, which takes the brightest paper in its window,
     * then found that side's paper as faint ink (a pencil "0" on a shaded sheet read as "02"). The
     * rim goes too: a sheet's edge is a thin dark line (its shadow, its cut), read as a "1".
     */
    static GreyImage paintedOver(GreyImage picture, GreyImage level, float[] mask) {
        int w = picture.width(), h = picture.height(), n = w * h;
        GreyImage inner = Morphology.min(new GreyImage(w, h, mask), 2 * EDGE + 1);
        float[] value = new float[n];
        boolean[] reached = new boolean[n];
        int[] queue = new int[n];
        int head = 0, tail = 0;
        for (int i = 0; i < n; i++) {
            if (inner.v()[i] == 1) {
                reached[i] = true;
                value[i] = level.v()[i];
                queue[tail++] = i;
            }
        }
        float[] painted = picture.v().clone();
        if (tail == 0) return new GreyImage(w, h, painted);
        // Breadth first from the inner sheet: every pixel takes the value of the one it was reached from.
        while (head < tail) {
            int p = queue[head++];
            int x = p % w, y = p / w;
            int[] next = {x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, y > 0 ? p - w : -1, y < h - 1 ? p + w : -1};
            for (int q : next) {
                if (q < 0 || reached[q]) continue;
                reached[q] = true;
                value[q] = value[p];
                queue[tail++] = q;
            }
        }
        for (int i = 0; i < n; i++) if (inner.v()[i] == 0) painted[i] = value[i];
        return new GreyImage(w, h, painted);
    }

    /** The sheet's outermost pixels painted over with the surface ({@link #paintedOver}). */
    static final int EDGE = 3;

    /**
     * True when the sheet holds a dark mark, such as a digit written on it: one connected piece of
     * pixels darker than the paper level P by over {@link #MARK} of the sheet-to-surface difference,
     * wholly inside the sheet (touching none of the surface around it) and covering at least
     * {@link #LARGEST_MARK} of the sheet. The closing that gives P fills in strokes narrower than
     * its window, so the ink on a sheet is darker than its P. A large white digit on a black ground,
     * taken for a sheet, is as bright as its P except in its notches, which open onto the ground,
     * and in holes smaller than the window.
     */
    static boolean holdsInk(GreyImage picture, GreyImage level, float[] mask, double gap, int on) {
        int w = picture.width(), h = picture.height(), n = w * h;
        int[] marks = new int[n];
        for (int i = 0; i < n; i++) if (mask[i] == 1 && level.v()[i] - picture.v()[i] > MARK * gap) marks[i] = 1;
        int[] areas = Components.label(marks, w, h);
        boolean[] open = new boolean[areas.length];
        for (int i = 0; i < n; i++) {
            if (marks[i] == 0) continue;
            int x = i % w, y = i / w;
            open[marks[i]] |= x == 0 || y == 0 || x == w - 1 || y == h - 1
                    || mask[i - 1] == 0 || mask[i + 1] == 0 || mask[i - w] == 0 || mask[i + w] == 0;
        }
        for (int l = 1; l < areas.length; l++) if (!open[l] && areas[l] >= LARGEST_MARK * on) return true;
        return false;
    }

    /** A mark on the sheet is darker than its paper by this fraction of the sheet-to-surface difference ({@link #holdsInk}). */
    static final double MARK = 0.25;
    /** The largest mark on a sheet covers at least this fraction of it ({@link #holdsInk}). */
    static final double LARGEST_MARK = 0.01;
    /** A sheet fills at least this fraction of the smallest rectangle around it ({@link #rectangleFill}). */
    static final double SQUARE = 0.9;

    /**
     * The fraction of the smallest rectangle around the mask, at any angle (in steps of one degree),
     * that the mask fills: near 1 for a sheet of paper seen from above, pi/4 for an ellipse, less
     * for a digit's outline.
     */
    static double rectangleFill(float[] mask, int w, int h, int on) {
        int[] edge = new int[w * h];
        int m = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (mask[i] == 1 && (x == 0 || y == 0 || x == w - 1 || y == h - 1
                        || mask[i - 1] == 0 || mask[i + 1] == 0 || mask[i - w] == 0 || mask[i + w] == 0)) edge[m++] = i;
            }
        }
        double best = Double.MAX_VALUE;
        for (int degree = 0; degree < 90; degree++) {
            double c = Math.cos(Math.toRadians(degree)), s = Math.sin(Math.toRadians(degree));
            double uMin = Double.MAX_VALUE, uMax = -Double.MAX_VALUE, vMin = Double.MAX_VALUE, vMax = -Double.MAX_VALUE;
            for (int k = 0; k < m; k++) {
                int x = edge[k] % w, y = edge[k] / w;
                double u = x * c + y * s, v = y * c - x * s;
                uMin = Math.min(uMin, u);
                uMax = Math.max(uMax, u);
                vMin = Math.min(vMin, v);
                vMax = Math.max(vMax, v);
            }
            best = Math.min(best, (uMax - uMin + 1) * (vMax - vMin + 1));
        }
        return m == 0 ? 0 : on / best;
    }

    /** True when the mask reaches the picture's outermost ring. */
    private static boolean touchesBorder(float[] mask, int w, int h) {
        for (int x = 0; x < w; x++) if (mask[x] == 1 || mask[(h - 1) * w + x] == 1) return true;
        for (int y = 0; y < h; y++) if (mask[y * w] == 1 || mask[y * w + w - 1] == 1) return true;
        return false;
    }

    /** The sheet of {@code picture}, or null when it is not a sheet on a textured surface (nothing is then changed). */
    public static Found find(GreyImage picture) {
        int w = picture.width(), h = picture.height(), n = w * h;
        if (w < 3 * WINDOW || h < 3 * WINDOW) return null;
        GreyImage level = Morphology.close(picture, WINDOW);
        float t = Otsu.threshold(level.v());
        int[] bright = new int[n];
        for (int i = 0; i < n; i++) bright[i] = level.v()[i] > t ? 1 : 0;
        int[] areas = Components.label(bright, w, h);
        int best = 0;
        for (int l = 1; l < areas.length; l++) if (areas[l] > areas[best]) best = l;
        if (best == 0) return null;
        // The sheet with its holes filled: every pixel not joined to the picture's border around it.
        int[] around = new int[n];
        for (int i = 0; i < n; i++) around[i] = bright[i] == best ? 0 : 1;
        int[] aroundAreas = Components.label(around, w, h);
        boolean[] outer = new boolean[aroundAreas.length];
        for (int x = 0; x < w; x++) outer[around[x]] = outer[around[(h - 1) * w + x]] = true;
        for (int y = 0; y < h; y++) outer[around[y * w]] = outer[around[y * w + w - 1]] = true;
        float[] mask = new float[n];
        int on = 0;
        double onLevel = 0, offLevel = 0;
        float[] onRough = new float[n], offRough = new float[n];
        int off = 0;
        for (int i = 0; i < n; i++) {
            boolean in = around[i] == 0 || !outer[around[i]];
            float rough = Math.abs(picture.v()[i] - level.v()[i]);
            if (in) {
                mask[i] = 1;
                onLevel += level.v()[i];
                onRough[on++] = rough;
            } else {
                offLevel += level.v()[i];
                offRough[off++] = rough;
            }
        }
        if (on < SMALLEST * n || on > LARGEST * n || off == 0) return null;
        if (on - areas[best] > MOST_INK * on) return null;
        if (offLevel / off >= DARKER * (onLevel / on)) return null;
        float onMedian = Background.quantile(java.util.Arrays.copyOf(onRough, on), 0.5f);
        float offMedian = Background.quantile(java.util.Arrays.copyOf(offRough, off), 0.5f);
        boolean textured = offMedian >= GRAIN && offMedian >= ROUGHER * onMedian;
        if (!textured && (touchesBorder(mask, w, h)
                || !(holdsInk(picture, level, mask, onLevel / on - offLevel / off, on) && rectangleFill(mask, w, h, on) >= SQUARE)
                        && !Background.darkInk(picture, Math.max(15, Math.min(w, h) / 4) | 1))) return null;
        return new Found(new GreyImage(w, h, mask), paintedOver(picture, level, mask));
    }
}
