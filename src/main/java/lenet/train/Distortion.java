package lenet.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Random;
import lenet.model.Pixels;

/**
 * Training-time distortions on top of the whole-pixel shifts: each training image is resampled
 * (bilinearly, background outside) through a random small affine map, a random smooth elastic
 * displacement, or both. Simard, Steinkraus and Platt (2003) showed both to help a convolutional
 * network on MNIST; here they are options to measure against the stand-in real-world sets.
 *
 * <ul>
 *   <li>affine: a rotation of up to {@link #MAX_TURN_DEGREES} degrees either way, a scale between
 *       {@code 1 - MAX_SCALE} and {@code 1 + MAX_SCALE} and a horizontal shear of up to
 *       {@link #MAX_SHEAR} (a slant), about the image centre.</li>
 *   <li>elastic: every pixel moved by a smooth random field: displacements drawn uniformly in
 *       {@code ±ELASTIC_PIXELS} at a 5x5 grid of control points 6.75 pixels apart and interpolated
 *       bilinearly between them. Simard's field is white noise blurred by a Gaussian (sigma 4,
 *       alpha 34): about 1.4 pixels of movement that changes over about 4-7 pixels; the grid gives
 *       the same scale of movement for 50 random numbers an image instead of two 28x28 blurs.</li>
 *   <li>pen: half the images, chosen at random, closed (a maximum, then a minimum, over a disc of
 *       radius between {@link #MIN_PEN} and {@link #MAX_PEN} pixels): gaps narrower than the disc
 *       fill in while strokes keep their width, as when a wide pen (a marker, a bold font drawn
 *       round its outline) closes the gap between a "6"'s hook and its bowl and the reading then
 *       erodes the stroke back to MNIST's width.</li>
 * </ul>
 */
public enum Distortion {
    NONE(false, false, false),
    AFFINE(true, false, false),
    ELASTIC(false, true, false),
    BOTH(true, true, false),
    PEN(false, false, true);

    public static final double MAX_TURN_DEGREES = 12;
    public static final double MAX_SCALE = 0.12;
    public static final double MAX_SHEAR = 0.25;
    public static final double ELASTIC_PIXELS = 2.4;
    public static final double MIN_PEN = 1, MAX_PEN = 2.5;
    private static final int GRID = 5;

    private final boolean affine;
    private final boolean elastic;
    private final boolean pen;

    Distortion(boolean affine, boolean elastic, boolean pen) {
        this.affine = affine;
        this.elastic = elastic;
        this.pen = pen;
    }

    /** The name users type and files store: {@code none}, {@code affine}, {@code elastic}, {@code both}. */
    @JsonValue
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The value named {@code s} (any case), or an error listing the known names. */
    @JsonCreator
    public static Distortion parse(String s) {
        for (Distortion v : values()) if (s != null && v.cliName().equals(s.strip().toLowerCase(Locale.ROOT))) return v;
        throw new IllegalArgumentException("unknown distortion '" + s + "' (known: none, affine, elastic, both, pen)");
    }

    /** What it does, for the recipe line: "affine", "elastic", "affine and elastic", "a wide pen's closed gaps" or "off". */
    public String describe() {
        return this == NONE ? "off" : this == BOTH ? "affine and elastic" : this == PEN ? "a wide pen's closed gaps" : cliName();
    }

    /**
     * Writes {@code side x side} scaled pixels of the image at {@code src[srcAt...]} into
     * {@code dst[dstAt...]}, moved by whole pixels ({@code dx}, {@code dy}) and distorted with
     * random numbers from {@code rng}.
     */
    void apply(byte[] src, int srcAt, int side, int dx, int dy, Random rng, float[] dst, int dstAt) {
        // Inverse map: for output pixel centre o, sample the source at inv * (o - c - t) + c (+ elastic field).
        double a = 1, b = 0, c = 0, d = 1;
        if (affine) {
            double turn = Math.toRadians((rng.nextDouble() * 2 - 1) * MAX_TURN_DEGREES);
            double scale = 1 + (rng.nextDouble() * 2 - 1) * MAX_SCALE;
            double shear = (rng.nextDouble() * 2 - 1) * MAX_SHEAR;
            // forward = rotation * shear * scale; its inverse written out.
            double cos = Math.cos(turn), sin = Math.sin(turn);
            double f00 = scale * cos, f01 = scale * (cos * shear - sin);
            double f10 = scale * sin, f11 = scale * (sin * shear + cos);
            double det = f00 * f11 - f01 * f10;
            a = f11 / det;
            b = -f01 / det;
            c = -f10 / det;
            d = f00 / det;
        }
        float[] gx = null, gy = null;
        if (elastic) {
            gx = new float[GRID * GRID];
            gy = new float[GRID * GRID];
            for (int i = 0; i < gx.length; i++) {
                gx[i] = (float) ((rng.nextDouble() * 2 - 1) * ELASTIC_PIXELS);
                gy[i] = (float) ((rng.nextDouble() * 2 - 1) * ELASTIC_PIXELS);
            }
        }
        double centre = side / 2.0;
        double cell = (side - 1) / (double) (GRID - 1);
        for (int y = 0; y < side; y++) {
            double oy = y + 0.5 - centre - dy;
            for (int x = 0; x < side; x++) {
                double ox = x + 0.5 - centre - dx;
                double sx = a * ox + b * oy + centre - 0.5;
                double sy = c * ox + d * oy + centre - 0.5;
                if (elastic) {
                    double gxPos = x / cell, gyPos = y / cell;
                    int i = Math.min((int) gxPos, GRID - 2), j = Math.min((int) gyPos, GRID - 2);
                    double fx = gxPos - i, fy = gyPos - j;
                    int k = j * GRID + i;
                    sx += lerp2(gx[k], gx[k + 1], gx[k + GRID], gx[k + GRID + 1], fx, fy);
                    sy += lerp2(gy[k], gy[k + 1], gy[k + GRID], gy[k + GRID + 1], fx, fy);
                }
                dst[dstAt + y * side + x] = sample(src, srcAt, side, sx, sy);
            }
        }
        if (pen && rng.nextBoolean()) close(dst, dstAt, side, MIN_PEN + rng.nextDouble() * (MAX_PEN - MIN_PEN));
    }

    /** Grey closing of the {@code side x side} image at {@code v[at...]} in place: a maximum, then a minimum, over a disc of radius r (pixels outside left out). */
    static void close(float[] v, int at, int side, double r) {
        int reach = (int) Math.floor(r);
        int[] ox = new int[(2 * reach + 1) * (2 * reach + 1)], oy = new int[ox.length];
        int n = 0;
        for (int y = -reach; y <= reach; y++) {
            for (int x = -reach; x <= reach; x++) {
                if (x * x + y * y > r * r) continue;
                ox[n] = x;
                oy[n++] = y;
            }
        }
        float[] grown = new float[side * side];
        for (int pass = 0; pass < 2; pass++) {
            boolean max = pass == 0;
            float[] from = max ? java.util.Arrays.copyOfRange(v, at, at + side * side) : grown;
            float[] to = max ? grown : new float[side * side];
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    float best = max ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
                    for (int k = 0; k < n; k++) {
                        int sx = x + ox[k], sy = y + oy[k];
                        if (sx < 0 || sy < 0 || sx >= side || sy >= side) continue;
                        float f = from[sy * side + sx];
                        best = max ? Math.max(best, f) : Math.min(best, f);
                    }
                    to[y * side + x] = best;
                }
            }
            if (!max) System.arraycopy(to, 0, v, at, side * side);
        }
    }

    private static double lerp2(double v00, double v10, double v01, double v11, double fx, double fy) {
        return (v00 * (1 - fx) + v10 * fx) * (1 - fy) + (v01 * (1 - fx) + v11 * fx) * fy;
    }

    /** Bilinear sample at pixel coordinates (x, y) (pixel centres at whole numbers), background outside. */
    private static float sample(byte[] src, int at, int side, double x, double y) {
        int x0 = (int) Math.floor(x), y0 = (int) Math.floor(y);
        if (x0 < -1 || y0 < -1 || x0 >= side || y0 >= side) return 0f;
        double fx = x - x0, fy = y - y0;
        double v = pixel(src, at, side, x0, y0) * (1 - fx) * (1 - fy) + pixel(src, at, side, x0 + 1, y0) * fx * (1 - fy)
                + pixel(src, at, side, x0, y0 + 1) * (1 - fx) * fy + pixel(src, at, side, x0 + 1, y0 + 1) * fx * fy;
        return (float) v;
    }

    private static float pixel(byte[] src, int at, int side, int x, int y) {
        if (x < 0 || y < 0 || x >= side || y >= side) return 0f;
        return Pixels.scale(src[at + y * side + x]);
    }
}
