package lenet.image;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Connected components of a black-and-white image: the separate pieces of ink, each with the
 * measurements the segmentation decides on.
 *
 * <p>Two ink pixels belong to one piece when a path of ink pixels joins them, each step to one of
 * the 8 neighbours (diagonal steps too, so a pen line drawn at 45 degrees and sampled into a
 * staircase of corner-touching pixels stays one piece). Labelling is a flood fill from every
 * unlabelled ink pixel with an explicit stack (no recursion, so a 1000x1000 blob cannot overflow
 * the call stack).
 */
public final class Components {
    /**
     * One piece of ink.
     *
     * @param label   its label in {@link #labels} (1, 2, ...)
     * @param area    ink pixels
     * @param x0      leftmost column; x1 the rightmost; y0, y1 the top and bottom rows (inclusive)
     * @param edges   pixel edges between this piece and paper (4-neighbours; the image's border counts as paper): its outline's length
     * @param onBorder pixels on the image's outermost ring
     */
    public record Piece(int label, int area, int x0, int y0, int x1, int y1, long edges, int onBorder) {
        public int width() {
            return x1 - x0 + 1;
        }

        public int height() {
            return y1 - y0 + 1;
        }

        /**
         * The mean stroke width, {@code 2 A / (edges * pi / 4)}: a stroke of width s and length L has
         * area s L and an outline of about 2 L, and counting pixel edges over-counts a curve's length
         * by 4/pi on average over directions (a 45-degree edge is a staircase sqrt(2) times its length).
         */
        public double strokeWidth() {
            return edges == 0 ? 0 : 2.0 * area / (edges * Math.PI / 4);
        }

        /** Area over bounding-box area: near 1 for a filled blob, low for a thin ring or a diagonal line. */
        public double fill() {
            return (double) area / ((long) width() * height());
        }

        /** The horizontal overlap of two pieces' boxes, in columns (0 when they do not overlap). */
        public int xOverlap(Piece o) {
            return Math.max(0, Math.min(x1, o.x1) - Math.max(x0, o.x0) + 1);
        }

        /** True when this piece's box holds o's box entirely. */
        public boolean surrounds(Piece o) {
            return x0 <= o.x0 && y0 <= o.y0 && x1 >= o.x1 && y1 >= o.y1;
        }
    }

    private final int width, height;
    private final int[] labels;
    private final List<Piece> pieces;

    private Components(int width, int height, int[] labels, List<Piece> pieces) {
        this.width = width;
        this.height = height;
        this.labels = labels;
        this.pieces = pieces;
    }

    /** The pieces of the pixels above 0 in {@code img}. */
    public static Components of(GreyImage img) {
        int[] mask = new int[img.v().length];
        for (int i = 0; i < mask.length; i++) mask[i] = img.v()[i] > 0 ? 1 : 0;
        int[] area = label(mask, img.width(), img.height());
        int w = img.width(), h = img.height();
        int n = area.length;
        int[] x0 = new int[n], y0 = new int[n], x1 = new int[n], y1 = new int[n], border = new int[n];
        long[] edges = new long[n];
        Arrays.fill(x0, Integer.MAX_VALUE);
        Arrays.fill(y0, Integer.MAX_VALUE);
        Arrays.fill(x1, -1);
        Arrays.fill(y1, -1);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int l = mask[y * w + x];
                if (l == 0) continue;
                x0[l] = Math.min(x0[l], x);
                x1[l] = Math.max(x1[l], x);
                y0[l] = Math.min(y0[l], y);
                y1[l] = Math.max(y1[l], y);
                if (x == 0 || y == 0 || x == w - 1 || y == h - 1) border[l]++;
                // The four sides of this pixel that face paper (or the image's edge).
                if (x == 0 || mask[y * w + x - 1] == 0) edges[l]++;
                if (x == w - 1 || mask[y * w + x + 1] == 0) edges[l]++;
                if (y == 0 || mask[(y - 1) * w + x] == 0) edges[l]++;
                if (y == h - 1 || mask[(y + 1) * w + x] == 0) edges[l]++;
            }
        }
        List<Piece> pieces = new ArrayList<>();
        for (int l = 1; l < n; l++) pieces.add(new Piece(l, area[l], x0[l], y0[l], x1[l], y1[l], edges[l], border[l]));
        return new Components(w, h, mask, pieces);
    }

    /** Every piece, in label order (the order their first pixel is met, row by row). */
    public List<Piece> pieces() {
        return pieces;
    }

    /** The width of the labelled image. */
    public int width() {
        return width;
    }

    /** The label of each pixel (0 paper), row-major. */
    public int[] labels() {
        return labels;
    }

    /** An image of the given pieces alone (1 ink, 0 paper), cut to their joint bounding box. */
    public GreyImage draw(List<Piece> chosen) {
        int x0 = Integer.MAX_VALUE, y0 = Integer.MAX_VALUE, x1 = -1, y1 = -1;
        boolean[] keep = new boolean[pieces.size() + 1];
        for (Piece p : chosen) {
            keep[p.label()] = true;
            x0 = Math.min(x0, p.x0());
            y0 = Math.min(y0, p.y0());
            x1 = Math.max(x1, p.x1());
            y1 = Math.max(y1, p.y1());
        }
        GreyImage out = GreyImage.zeros(x1 - x0 + 1, y1 - y0 + 1);
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) if (keep[labels[y * width + x]]) out.set(x - x0, y - y0, 1);
        }
        return out;
    }

    /** The whole image with only the given pieces kept (1 ink, 0 paper). */
    public GreyImage keep(List<Piece> chosen) {
        boolean[] keep = new boolean[pieces.size() + 1];
        for (Piece p : chosen) keep[p.label()] = true;
        float[] out = new float[labels.length];
        for (int i = 0; i < out.length; i++) if (keep[labels[i]]) out[i] = 1;
        return new GreyImage(width, height, out);
    }

    /**
     * Connected-component labelling with 8-neighbours: on return {@code mask[i]} (1 ink, 0 paper on
     * entry) is 0 for paper or the label (1, 2, ...) of pixel i's piece; the returned array holds
     * each label's area (index 0 unused).
     */
    public static int[] label(int[] mask, int w, int h) {
        int[] area = new int[16];
        int next = 1;
        int[] stack = new int[64];
        for (int start = 0; start < mask.length; start++) {
            if (mask[start] != 1) continue;
            int id = ++next; // labels start at 2 so 1 still means "ink not yet visited"
            if (id >= area.length) area = Arrays.copyOf(area, area.length * 2);
            int top = 0;
            stack[top++] = start;
            mask[start] = id;
            while (top > 0) {
                int p = stack[--top];
                area[id]++;
                int px = p % w, py = p / w;
                for (int dy = -1; dy <= 1; dy++) {
                    int qy = py + dy;
                    if (qy < 0 || qy >= h) continue;
                    for (int dx = -1; dx <= 1; dx++) {
                        int qx = px + dx;
                        if (qx < 0 || qx >= w) continue;
                        int q = qy * w + qx;
                        if (mask[q] != 1) continue;
                        mask[q] = id;
                        if (top == stack.length) stack = Arrays.copyOf(stack, stack.length * 2);
                        stack[top++] = q;
                    }
                }
            }
        }
        // Renumber 2.. to 1.. so callers see labels from 1.
        for (int i = 0; i < mask.length; i++) if (mask[i] > 0) mask[i]--;
        int[] out = new int[next];
        System.arraycopy(area, 2, out, 1, next - 1);
        return out;
    }
}
