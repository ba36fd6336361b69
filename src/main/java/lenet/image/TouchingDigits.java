package lenet.image;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Splitting a piece of ink that may hold several digits written into each other, by cutting it
 * along paths through the least ink and letting the network say which pieces read best
 * ("recognition-based segmentation", as in LeCun, Bottou, Bengio and Haffner, 1998, section VI).
 *
 * <ol>
 *   <li><b>Cut paths.</b> A path runs from the top row to the bottom row, one pixel a row, each
 *       step straight down or one column aside. Its cost is the ink it crosses (one per ink pixel)
 *       plus {@link #ASIDE} per step aside, so it prefers to slip through the gap between two
 *       digits, slanted if the gap is slanted, and where the digits touch it crosses the joint,
 *       usually a single stroke. Dynamic programming gives the cheapest path into every bottom
 *       column (and, run upwards, from every top column); the columns where that cost is a local
 *       minimum are the candidate cuts: at most {@link #MAX_CUTS}, at least a fifth of the expected
 *       digit width apart.
 *   <li><b>Pieces.</b> Between any two cuts (or a cut and the edge) lies a candidate digit: the ink
 *       right of the one path and left of the other. It must be a digit's size: at least half the
 *       height of the whole, at most 1.25 times that height wide, with at least a stroke's worth
 *       of ink.
 *   <li><b>The best reading.</b> Each candidate is made into the 28x28 the network sees and
 *       classified. A way of splitting is a chain of candidates from the left edge to the right
 *       edge; its score is the sum of the log-probabilities of each piece's best digit, minus
 *       {@link #CUT_PENALTY} for each stroke width of ink a cut crosses. Dynamic programming over
 *       the cuts finds the best chain; not splitting at all is one of the chains (when the whole is
 *       no wider than 1.25 times its height), so a digit the network reads well stays whole.
 * </ol>
 *
 * Splitting a "0" into two halves is discouraged three ways: the cut crosses two strokes, the
 * halves rarely read as confidently as the whole, and each half must be half the height.
 */
public final class TouchingDigits {
    /** Cost of a step one column aside, in ink pixels: small, so a slanted gap is as good as a straight one. */
    static final double ASIDE = 0.1;
    /** A cut path stays within this fraction of the expected digit width of the column it starts from. */
    static final double BAND = 0.3;
    /** At most this many candidate cuts per piece (the cheapest, spread out). */
    static final int MAX_CUTS = 16;
    /** Score taken off for each stroke width of ink a cut crosses (in natural-log units of probability). */
    static final double CUT_PENALTY = 0.15;
    /**
     * Score taken off for each stretch of ink a cut crosses beyond the first: digits that touch
     * usually meet in one place, while a cut through one digit ("0", "8") crosses it twice or more.
     */
    static final double RUN_PENALTY = 0.6;
    /**
     * A hole of the piece at least this fraction of its height tall is a digit's own loop ("0",
     * "6", "8", "9"): cut paths pay for crossing it as for ink. Digits that touch close only small
     * gaps between them.
     */
    static final double BIG_HOLE = 1.0 / 3;
    /** A cut's penalty counts at most this many stroke widths (two strokes merged along their length cost no more than crossing three). */
    static final double MAX_STROKES = 3;
    /** A piece up to this many times the expected digit width is not penalised for its width. */
    static final double ROOMY = 1.3;
    /** Score taken off for a piece wider than ROOMY times the expected width: this times the square of the excess (in expected widths). */
    static final double WIDTH_PENALTY = 10;
    /** The width penalty is at most this: a wide handwritten "0" is as wide as two narrow font digits. */
    static final double WIDTH_CAP = 1.0;
    /** Bits of ink under this fraction of a cut-out piece's ink are crumbs of its neighbour, dropped. */
    static final double CRUMB = 0.1;
    /** A piece no wider than this times its height may be one digit. */
    static final double WIDEST = 1.25;
    /**
     * The whole piece, not cut, may be this many times as wide as tall: a handwritten "0" or "4"
     * leaning over is often wider than WIDEST; the width penalty and the network's reading then decide.
     */
    static final double WIDEST_WHOLE = 1.5;
    /** A piece this much wider than the expected digit width is looked at for touching digits (or wider than WIDEST times its height). */
    static final double TRY_ABOVE = 1.15;
    /** ... and at least this times its height wide (two touching digits, a "1" among them, are about 0.8 times as wide as tall). */
    static final double TRY_ASPECT = 0.7;

    private TouchingDigits() {}

    static final boolean DEBUG = Boolean.getBoolean("lenet.debugSplit");



    /**
     * One cut: the column it takes in every row, and the ink it crosses.
     *
     * @param x   column per row (-1 for the left edge, width - 1 for the right edge)
     * @param ink  ink pixels on the path
     * @param runs separate stretches of ink along the path: where digits touch, one; through the middle of a "0", two
     */
    public record Cut(int[] x, int ink, int runs) {
        double meanX() {
            double s = 0;
            for (int v : x) s += v;
            return s / x.length;
        }
    }

    /**
     * The split chosen: the drawings of the digits left to right (each cropped to its ink, with its
     * offset in the piece), the cuts between them, and whether any cut went through ink.
     */
    public record Split(List<GreyImage> digits, List<int[]> offsets, List<Cut> cuts, boolean touched) {
        public int count() {
            return digits.size();
        }
    }

    /** True when a piece {@code width} x {@code height} may hold several digits, given the expected width of one. */
    public static boolean worthTrying(int width, int height, double expectedWidth) {
        return width > WIDEST * height || width > TRY_ABOVE * expectedWidth && width > TRY_ASPECT * height;
    }

    /**
     * The best way to read {@code drawing} (1 ink, 0 paper, cropped to its ink) as one or more
     * digits side by side.
     *
     * @param expectedWidth the width of one digit in this line (from its other digits, or from the height)
     * @param read          how well the network reads a candidate's drawing: the log of its confidence in its best digit (0: certain)
     */
    public static Split split(GreyImage drawing, double expectedWidth, ToDoubleFunction<GreyImage> read) {
        return split(drawing, expectedWidth, false, read);
    }

    /**
     * Score given to reading a piece whole when it is the only piece of ink in the picture, in
     * natural-log units (a factor of 1.65): a picture of one wide handwritten digit ("a 3 leaning
     * over", a "7" with a long bar) is likelier than a line whose every digit touches the next, and
     * the halves of a wide digit often read better than the whole.
     */
    static final double ALONE = 0.5;

    /**
     * {@link #split(GreyImage, double, ToDoubleFunction)}; {@code alone}: the piece is the only one
     * in the picture, and reading it whole scores {@link #ALONE} more.
     */
    public static Split split(GreyImage drawing, double expectedWidth, boolean alone, ToDoubleFunction<GreyImage> read) {
        int w = drawing.width(), h = drawing.height();
        double stroke = Math.max(1, Preprocessing.strokeWidth(drawing));
        boolean[] hole = bigHoles(drawing, BIG_HOLE * h);
        List<Cut> cuts = candidates(drawing, expectedWidth, hole);
        if (DEBUG) {
            System.err.printf("split %dx%d expected %.1f stroke %.1f cuts:", w, h, expectedWidth, stroke);
            for (Cut c : cuts) System.err.printf(" %.0f(%d)", c.meanX(), c.ink());
            System.err.println();
        }
        // Boundaries: the left edge, the cuts by their mean column, the right edge.
        List<Cut> b = new ArrayList<>();
        int[] left = new int[h], right = new int[h];
        Arrays.fill(left, -1);
        Arrays.fill(right, w - 1);
        b.add(new Cut(left, 0, 0));
        cuts.sort((p, q) -> Double.compare(p.meanX(), q.meanX()));
        b.addAll(cuts);
        b.add(new Cut(right, 0, 0));
        int n = b.size();
        double[] best = new double[n];
        int[] from = new int[n];
        Arrays.fill(best, Double.NEGATIVE_INFINITY);
        best[0] = 0;
        GreyImage[][] piece = new GreyImage[n][n];
        int[][][] offset = new int[n][n][];
        for (int j = 1; j < n; j++) {
            for (int i = 0; i < j; i++) {
                if (best[i] == Double.NEGATIVE_INFINITY) continue;
                int[] off = new int[2];
                GreyImage p = between(drawing, b.get(i), b.get(j), off);
                boolean whole = i == 0 && j == n - 1;
                if (p == null || !digitSized(p, h, stroke, whole ? WIDEST_WHOLE : WIDEST)) continue;
                double reading = read.applyAsDouble(p);
                double tooWide = Math.max(0, p.width() / expectedWidth - ROOMY);
                double score = best[i] + reading + (whole && alone ? ALONE : 0) - Math.min(WIDTH_CAP, WIDTH_PENALTY * tooWide * tooWide)
                        - (j < n - 1 ? cutPenalty(b.get(j), stroke) : 0);
                if (DEBUG) System.err.printf("  seg %d-%d [%.0f..%.0f] %dx%d read %.3f score %.3f (cut ink %d runs %d stroke %.1f)%n", i, j, b.get(i).meanX(), b.get(j).meanX(), p.width(), p.height(), reading, score, b.get(j).ink(), b.get(j).runs(), stroke);
                if (score > best[j]) {
                    best[j] = score;
                    from[j] = i;
                    piece[i][j] = p;
                    offset[i][j] = off;
                }
            }
        }
        if (best[n - 1] == Double.NEGATIVE_INFINITY) return null;
        List<GreyImage> digits = new ArrayList<>();
        List<int[]> offsets = new ArrayList<>();
        List<Cut> used = new ArrayList<>();
        boolean touched = false;
        for (int j = n - 1; j > 0; j = from[j]) {
            digits.add(0, piece[from[j]][j]);
            offsets.add(0, offset[from[j]][j]);
            if (from[j] > 0) {
                used.add(0, b.get(from[j]));
                if (b.get(from[j]).ink() > 0) touched = true;
            }
        }
        return new Split(digits, offsets, used, touched);
    }

    /** What a cut costs: CUT_PENALTY per stroke width of ink crossed (at most MAX_STROKES), and RUN_PENALTY for every stretch of ink beyond the first. */
    static double cutPenalty(Cut c, double stroke) {
        return CUT_PENALTY * Math.min(MAX_STROKES, c.ink() / stroke) + RUN_PENALTY * Math.max(0, c.runs() - 1);
    }

    /**
     * The paper pixels of {@code d} inside holes at least {@code tallest} rows tall: paper
     * (4-connected) that does not reach the drawing's border.
     */
    static boolean[] bigHoles(GreyImage d, double tallest) {
        boolean[] out = new boolean[d.width() * d.height()];
        for (int[] hole : Holes.of(d)) {
            if (Holes.height(hole, d.width()) >= tallest) for (int p : hole) out[p] = true;
        }
        return out;
    }

    /** A digit's size: at least half the piece's height tall, at most {@code widest} times the piece's height wide, a stroke's worth of ink. */
    private static boolean digitSized(GreyImage p, int height, double stroke, double widest) {
        if (p.height() < 0.5 * height || p.width() > widest * height) return false;
        int ink = 0;
        for (float v : p.v()) if (v > 0) ink++;
        return ink >= stroke * 0.5 * height;
    }

    /** The ink strictly right of cut a and on or left of cut b, cropped to its ink ({@code off} gets its top-left corner); null when there is none. */
    static GreyImage between(GreyImage d, Cut a, Cut b, int[] off) {
        int w = d.width(), h = d.height();
        int x0 = w, y0 = h, x1 = -1, y1 = -1;
        for (int y = 0; y < h; y++) {
            for (int x = Math.max(0, a.x()[y] + 1); x <= Math.min(w - 1, b.x()[y]); x++) {
                if (d.get(x, y) <= 0) continue;
                x0 = Math.min(x0, x);
                x1 = Math.max(x1, x);
                y0 = Math.min(y0, y);
                y1 = Math.max(y1, y);
            }
        }
        if (x1 < 0) return null;
        GreyImage out = GreyImage.zeros(x1 - x0 + 1, y1 - y0 + 1);
        for (int y = y0; y <= y1; y++) {
            for (int x = Math.max(x0, a.x()[y] + 1); x <= Math.min(x1, b.x()[y]); x++) if (d.get(x, y) > 0) out.set(x - x0, y - y0, 1);
        }
        off[0] = x0;
        off[1] = y0;
        return withoutCrumbs(out, off);
    }

    /**
     * The piece without crumbs: bits of a neighbour's stroke that a cut left on this side, pieces of
     * ink under {@link #CRUMB} of the piece's ink, cropped again ({@code off} moved with the crop).
     */
    static GreyImage withoutCrumbs(GreyImage piece, int[] off) {
        Components c = Components.of(piece);
        if (c.pieces().size() < 2) return piece;
        int total = 0;
        for (Components.Piece p : c.pieces()) total += p.area();
        List<Components.Piece> kept = new ArrayList<>();
        for (Components.Piece p : c.pieces()) if (p.area() >= CRUMB * total) kept.add(p);
        if (kept.size() == c.pieces().size()) return piece;
        int x0 = Integer.MAX_VALUE, y0 = Integer.MAX_VALUE;
        for (Components.Piece p : kept) {
            x0 = Math.min(x0, p.x0());
            y0 = Math.min(y0, p.y0());
        }
        off[0] += x0;
        off[1] += y0;
        return c.draw(kept);
    }

    /**
     * The candidate cuts: the cheapest top-to-bottom path into each bottom column and from each top
     * column, by dynamic programming; the local minima of their cost over the columns, cheapest
     * first, at least a fifth of the expected width apart and from either edge, at most MAX_CUTS.
     */
    static List<Cut> candidates(GreyImage d, double expectedWidth) {
        return candidates(d, expectedWidth, new boolean[d.width() * d.height()]);
    }

    /** As {@link #candidates(GreyImage, double)}, the paths also paying one ink pixel for each pixel of a big hole they cross. */
    static List<Cut> candidates(GreyImage d, double expectedWidth, boolean[] hole) {
        int w = d.width();
        List<Cut> all = new ArrayList<>();
        int band = (int) Math.max(2, Math.round(BAND * expectedWidth));
        List<Cut> down = paths(d, false, band, hole), up = paths(d, true, band, hole);
        all.addAll(minima(down));
        all.addAll(minima(up));
        // Where n digits of equal width would meet, for every n the width allows: the cheaper of
        // the two paths from that column, so that a cut through merged strokes is tried too.
        int most = (int) Math.min(8, Math.ceil(w / (0.45 * expectedWidth)));
        for (int n = 2; n <= most; n++) {
            for (int k = 1; k < n; k++) {
                int x = (int) Math.round((double) k * w / n);
                Cut a = down.get(x), b = up.get(x);
                all.add(a.ink() <= b.ink() ? a : b);
            }
        }
        int margin = (int) Math.max(2, Math.round(0.2 * expectedWidth));
        all.sort((p, q) -> p.ink() != q.ink() ? Integer.compare(p.ink(), q.ink()) : Double.compare(Math.abs(p.meanX() - w / 2.0), Math.abs(q.meanX() - w / 2.0)));
        List<Cut> chosen = new ArrayList<>();
        for (Cut c : all) {
            double m = c.meanX();
            if (m < margin || m > w - 1 - margin) continue;
            boolean near = false;
            for (Cut o : chosen) if (Math.abs(o.meanX() - m) < margin) near = true;
            if (near) continue;
            chosen.add(c);
            if (chosen.size() == MAX_CUTS) break;
        }
        return chosen;
    }

    /** The paths whose ink is a local minimum over their starting column. */
    private static List<Cut> minima(List<Cut> paths) {
        List<Cut> out = new ArrayList<>();
        for (int x = 0; x < paths.size(); x++) {
            int c = paths.get(x).ink();
            boolean minimum = (x == 0 || c <= paths.get(x - 1).ink()) && (x == paths.size() - 1 || c < paths.get(x + 1).ink());
            if (minimum) out.add(paths.get(x));
        }
        return out;
    }

    /**
     * For every column x0 of the first row (the last, when {@code upwards}), the cheapest path from
     * it to the other end that stays within {@code band} columns of x0:
     * {@code C(x, y) = ink(x, y) + min over dx in {-1, 0, 1} of C(x + dx, y - 1) + ASIDE |dx|}.
     * The band keeps a path from wandering across a whole digit to reach a cheap gap elsewhere.
     */
    static List<Cut> paths(GreyImage d, boolean upwards, int band) {
        return paths(d, upwards, band, new boolean[d.width() * d.height()]);
    }

    /** As {@link #paths(GreyImage, boolean, int)}, a pixel of {@code hole} costing as much as one of ink (a cut keeps out of a digit's own loop). */
    static List<Cut> paths(GreyImage d, boolean upwards, int band, boolean[] hole) {
        int w = d.width(), h = d.height();
        Cut[] best = new Cut[w];
        int span = 2 * band + 1;
        double[] cost = new double[span], next = new double[span];
        int[][] came = new int[h][span];
        for (int x0 = 0; x0 < w; x0++) {
            int lo = Math.max(0, x0 - band), hi = Math.min(w - 1, x0 + band);
            for (int r = 0; r < h; r++) {
                int y = upwards ? h - 1 - r : r;
                for (int x = lo; x <= hi; x++) {
                    int k = x - lo;
                    double ink = d.get(x, y) > 0 || hole[y * w + x] ? 1 : 0;
                    if (r == 0) {
                        next[k] = x == x0 ? ink : Double.POSITIVE_INFINITY;
                        came[r][k] = k;
                        continue;
                    }
                    double c = cost[k];
                    int from = k;
                    if (x > lo && cost[k - 1] + ASIDE < c) {
                        c = cost[k - 1] + ASIDE;
                        from = k - 1;
                    }
                    if (x < hi && cost[k + 1] + ASIDE < c) {
                        c = cost[k + 1] + ASIDE;
                        from = k + 1;
                    }
                    next[k] = c + ink;
                    came[r][k] = from;
                }
                double[] t = cost;
                cost = next;
                next = t;
            }
            int end = 0;
            for (int k = 0; k <= hi - lo; k++) if (cost[k] < cost[end]) end = k;
            int[] px = new int[h];
            int k = end;
            for (int r = h - 1; r >= 0; r--) {
                int y = upwards ? h - 1 - r : r;
                px[y] = lo + k;
                k = came[r][k];
            }
            int ink = 0, runs = 0;
            for (int y = 0; y < h; y++) {
                boolean on = d.get(px[y], y) > 0;
                if (on) ink++;
                if (on && (y == 0 || d.get(px[y - 1], y - 1) <= 0)) runs++;
            }
            best[x0] = new Cut(px, ink, runs);
        }
        return List.of(best);
    }
}
