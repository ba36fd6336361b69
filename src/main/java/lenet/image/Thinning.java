package lenet.image;

/**
 * Thinning to a one-pixel skeleton (T. Y. Zhang and C. Y. Suen, "A Fast Parallel Algorithm for
 * Thinning Digital Patterns", 1984): ink pixels on the outline are peeled off, layer by layer,
 * unless removing one would break a stroke or shorten its end, until only the centre line is left.
 *
 * <p>For an ink pixel P1 with neighbours P2 (north), P3 (north-east), ..., P9 (north-west),
 * clockwise: B is the number of ink neighbours and A the number of paper-to-ink changes in the
 * sequence P2, P3, ..., P9, P2. P1 is deletable when {@code 2 <= B <= 6} (not a stroke's end, not
 * inside) and {@code A == 1} (its ink neighbours form one arc: removing it disconnects nothing), and
 * in the first sub-iteration P2 * P4 * P6 = 0 and P4 * P6 * P8 = 0 (it lies on the south or east
 * side), in the second P2 * P4 * P8 = 0 and P2 * P6 * P8 = 0 (north or west). Alternating the two
 * sides keeps the skeleton in the middle of the stroke; every sub-iteration decides on the image as
 * it was at its start.
 */
public final class Thinning {
    private Thinning() {}

    /** The skeleton of the pixels above 0 (1 ink, 0 paper). */
    public static GreyImage skeleton(GreyImage img) {
        int w = img.width() + 2, h = img.height() + 2; // a paper frame: every pixel has 8 neighbours
        byte[] a = new byte[w * h];
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) a[(y + 1) * w + x + 1] = (byte) (img.get(x, y) > 0 ? 1 : 0);
        }
        int[] remove = new int[w * h];
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int pass = 0; pass < 2; pass++) {
                int n = 0;
                for (int y = 1; y < h - 1; y++) {
                    for (int x = 1; x < w - 1; x++) {
                        int i = y * w + x;
                        if (a[i] == 0) continue;
                        int p2 = a[i - w], p3 = a[i - w + 1], p4 = a[i + 1], p5 = a[i + w + 1];
                        int p6 = a[i + w], p7 = a[i + w - 1], p8 = a[i - 1], p9 = a[i - w - 1];
                        int b = p2 + p3 + p4 + p5 + p6 + p7 + p8 + p9;
                        if (b < 2 || b > 6) continue;
                        int changes = (p2 == 0 && p3 == 1 ? 1 : 0) + (p3 == 0 && p4 == 1 ? 1 : 0) + (p4 == 0 && p5 == 1 ? 1 : 0)
                                + (p5 == 0 && p6 == 1 ? 1 : 0) + (p6 == 0 && p7 == 1 ? 1 : 0) + (p7 == 0 && p8 == 1 ? 1 : 0)
                                + (p8 == 0 && p9 == 1 ? 1 : 0) + (p9 == 0 && p2 == 1 ? 1 : 0);
                        if (changes != 1) continue;
                        boolean side = pass == 0 ? p2 * p4 * p6 == 0 && p4 * p6 * p8 == 0 : p2 * p4 * p8 == 0 && p2 * p6 * p8 == 0;
                        if (side) remove[n++] = i;
                    }
                }
                for (int k = 0; k < n; k++) a[remove[k]] = 0;
                if (n > 0) changed = true;
            }
        }
        GreyImage out = GreyImage.zeros(img.width(), img.height());
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) out.set(x, y, a[(y + 1) * w + x + 1]);
        }
        return out;
    }
}
