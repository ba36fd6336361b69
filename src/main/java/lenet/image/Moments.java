package lenet.image;

/**
 * Image moments: the centre of mass, the second central moments, and deskewing by them.
 *
 * <p>With pixel (x, y) covering [x, x+1) x [y, y+1) and m(x, y) its ink, the raw moments are
 * {@code M_pq = sum m(x,y) (x + 0.5)^p (y + 0.5)^q}; the centre of mass is
 * {@code (cx, cy) = (M_10 / M_00, M_01 / M_00)}, and the central moments
 * {@code mu_pq = sum m(x,y) (x + 0.5 - cx)^p (y + 0.5 - cy)^q} describe the spread around it:
 * mu_20 and mu_02 the horizontal and vertical variance (times the mass), mu_11 how x grows with y.
 */
public final class Moments {
    private Moments() {}

    /** {cx, cy}: the ink-weighted mean of the pixel centres (x + 0.5, y + 0.5); the image centre if there is no ink. */
    public static double[] centreOfMass(GreyImage img) {
        double sum = 0, sx = 0, sy = 0;
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                double m = img.get(x, y);
                sum += m;
                sx += m * (x + 0.5);
                sy += m * (y + 0.5);
            }
        }
        if (sum == 0) return new double[] {img.width() / 2.0, img.height() / 2.0};
        return new double[] {sx / sum, sy / sum};
    }

    /** {mu20, mu11, mu02} divided by the mass: the covariance of the ink's x and y. */
    public static double[] covariance(GreyImage img) {
        double[] c = centreOfMass(img);
        double sum = 0, xx = 0, xy = 0, yy = 0;
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                double m = img.get(x, y);
                if (m == 0) continue;
                double dx = x + 0.5 - c[0], dy = y + 0.5 - c[1];
                sum += m;
                xx += m * dx * dx;
                xy += m * dx * dy;
                yy += m * dy * dy;
            }
        }
        if (sum == 0) return new double[] {0, 0, 0};
        return new double[] {xx / sum, xy / sum, yy / sum};
    }

    /**
     * The slant: {@code mu11 / mu02}, how many pixels x moves right per pixel down, as the OpenCV
     * and MNIST deskewing samples compute it. Negative for a digit leaning right (y grows downwards:
     * its top is right of its bottom, so x falls as y grows).
     */
    public static double skew(GreyImage img) {
        double[] cov = covariance(img);
        return cov[2] < 1e-9 ? 0 : cov[1] / cov[2];
    }

    /**
     * The image sheared so that its slant is 0: {@code out(x, y) = in(x + skew * (y - cy), y)}, which
     * moves every row sideways in proportion to its height above the centre of mass, so the ink's
     * principal direction becomes vertical while rows stay rows (a shear, not a rotation: handwriting
     * slants, it does not turn). Bilinear along the row; the canvas widens to hold the result.
     */
    public static GreyImage deskew(GreyImage img, double skew) {
        if (skew == 0) return img;
        double cy = centreOfMass(img)[1];
        int w = img.width(), h = img.height();
        // x_out = x_in - skew * (y - cy): the extreme shifts over the rows widen the canvas.
        double s0 = -skew * (0.5 - cy), s1 = -skew * (h - 0.5 - cy);
        int left = (int) Math.ceil(Math.max(0, -Math.min(s0, s1)));
        int outW = w + left + (int) Math.ceil(Math.max(0, Math.max(s0, s1)));
        GreyImage out = GreyImage.zeros(outW, h);
        for (int y = 0; y < h; y++) {
            double shift = skew * (y + 0.5 - cy);
            for (int x = 0; x < outW; x++) {
                double sx = x - left + shift; // the source position of output pixel x
                int x0 = (int) Math.floor(sx);
                double t = sx - x0;
                double a = x0 >= 0 && x0 < w ? img.get(x0, y) : 0;
                double b = x0 + 1 >= 0 && x0 + 1 < w ? img.get(x0 + 1, y) : 0;
                out.set(x, y, (float) ((1 - t) * a + t * b));
            }
        }
        return out;
    }
}
