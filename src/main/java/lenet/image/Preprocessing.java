package lenet.image;

import java.util.List;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.nio.file.Path;
import java.util.Arrays;
import lenet.LenetException;

/**
 * Turns a person's picture of a digit into the 28x28 image LeNet was trained on, the way MNIST itself
 * was made (LeCun, Cortes, Burges): NIST's black-and-white scans of digits were scaled, keeping
 * their aspect ratio, to fit a 20x20 box (the anti-aliasing of that scaling made the grey levels),
 * then placed in a 28x28 field so that their centre of mass sat at its centre. White ink on black.
 *
 * <p>A photo or scan is dark ink on light paper, in colour, maybe transparent, off-centre, large,
 * with a pen much thinner than MNIST's. The steps below undo each of those, in order; each is one
 * method, so it can be tested and looked at alone:
 *
 * <ol>
 *   <li>{@link #paper}: transparency composited over white paper, colour to Rec. 601 luma.
 *   <li>{@link #workingSize}: huge photos shrunk, tiny images enlarged, to 256-1024 px.
 *   <li>{@link #polarity}: a light background is inverted, so ink is bright as in MNIST.
 *   <li>{@link #removeBackground}: the paper goes to 0, the darkest ink to 1.
 *   <li>{@link #bilevel}: back to black and white as NIST's scans were (Otsu's threshold), specks dropped.
 *   <li>{@link #cropToInk}: cut to the bounding box of the ink.
 *   <li>{@link #thickenStrokes}: a pen thinner than MNIST's made as thick as MNIST's typical stroke.
 *   <li>{@link #fitBox}: area averaging down so the longer side is 20 px, aspect ratio kept.
 *   <li>{@link #centreByMass}: placed in 28x28 with the centre of mass at the centre.
 *   <li>{@link #toBytes}: rounded to 0-255, the bytes an IDX file holds; the network gets byte / 255.
 * </ol>
 *
 * An image that is already MNIST-shaped (28x28, one grey channel, dark border) skips all of this:
 * its bytes are used as they are, exactly as {@code lenet eval} uses MNIST's ({@link #isMnistShaped}).
 */
public final class Preprocessing {
    /** Whether to turn light-background images into MNIST's white-on-black. */
    public enum Invert {
        /** Invert when the border is lighter than the ink ({@link #polarity}). */
        AUTO,
        /** Always invert: the image is dark ink on light paper. */
        YES,
        /** Never invert: the image is already light ink on a dark background. */
        NO;

        public String cliName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * What the network is given for one image.
     *
     * @param pixels   28x28 bytes, row-major, 0 background to 255 ink; the network sees byte / 255
     * @param asIs     the image was MNIST-shaped and used unchanged
     * @param inverted the image had a light background and was inverted
     */
    public record Result(byte[] pixels, boolean asIs, boolean inverted) {}

    /** LeNet's input is SIDE x SIDE. */
    public static final int SIDE = 28;
    /** MNIST's digits were scaled to fit a BOX x BOX square inside the 28x28 field. */
    public static final int BOX = 20;

    /** Images are worked on with their longer side between these (see {@link #workingSize}). */
    static final int MIN_WORKING = 256, MAX_WORKING = 1024;
    /** Ink minus paper below this (on a 0-1 scale) means there is no digit to see. */
    static final float MIN_CONTRAST = 0.1f;
    /** Connected pieces of ink smaller than this fraction of the largest piece are specks, not digit. */
    static final double SPECK_FRACTION = 0.02;
    /**
     * MNIST's typical stroke width as a fraction of the digit's longer side: the median over MNIST's
     * test digits of {@link #strokeWidth} / longer side, measured by {@code StrokeCalibrationTest}
     * on the same bilevel drawings this class makes.
     */
    static final double MNIST_STROKE_RATIO = 0.125;
    /**
     * Strokes thicker than this fraction of the longer side are thinned ({@link #thinStrokes}): well
     * above MNIST's upper quartile (0.148), where the stand-in sets' bold fonts and markers lie.
     */
    static final double THICK_STROKE_RATIO = 0.2;

    private Preprocessing() {}

    /** Reads {@code file} ({@link ImageFiles#read}) and preprocesses it; every problem is one line naming the file. */
    public static Result fromFile(Path file, Invert invert) {
        BufferedImage image = ImageFiles.read(file);
        try {
            return toMnist(image, invert);
        } catch (NoDigitException e) {
            throw new LenetException(file + ": " + e.getMessage());
        }
    }

    /** The whole pipeline, steps 1-10 above, or the image as it is when it is MNIST-shaped. */
    public static Result toMnist(BufferedImage image, Invert invert) {
        if (invert != Invert.YES && isMnistShaped(image)) return new Result(greyBytes(image), true, false);
        GreyImage brightness = workingSize(paper(image));
        Polarity p = polarity(brightness, invert);
        GreyImage ink = removeBackground(p.ink());
        GreyImage drawing = thickenStrokes(cropToInk(bilevel(ink)));
        return new Result(toBytes(centreByMass(fitBox(drawing))), false, p.inverted());
    }

    /** The image has no digit in it (it is blank or nearly so); the message says so in words. */
    public static final class NoDigitException extends RuntimeException {
        private final boolean faint;

        NoDigitException(String message) {
            this(message, false);
        }

        NoDigitException(String message, boolean faint) {
            super(message);
            this.faint = faint;
        }

        /** True when there was ink, but fainter than the floor ({@code --contrast}). */
        public boolean faint() {
            return faint;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // MNIST-shaped images: used as they are.

    /**
     * True for an image that already looks like MNIST's: 28x28, a single grey channel (no colour,
     * no alpha, no palette) and a dark background, i.e. at least 90% of the 108 pixels on its outer
     * ring are below 10% brightness. Every one of MNIST's 70,000 images passes this test, so an MNIST
     * digit saved as PNG is read back byte for byte and gets exactly {@code lenet eval}'s answer.
     */
    public static boolean isMnistShaped(BufferedImage image) {
        if (image.getWidth() != SIDE || image.getHeight() != SIDE) return false;
        ColorModel cm = image.getColorModel();
        if (!(cm instanceof ComponentColorModel) || cm.getNumComponents() != 1 || image.getRaster().getNumBands() != 1
                || cm.getColorSpace().getType() != ColorSpace.TYPE_GRAY) {
            return false;
        }
        return darkBorder(greyBytes(image), SIDE);
    }

    /** At least 90% of the outer ring of a side x side byte image is below 10% of full brightness. */
    static boolean darkBorder(byte[] pixels, int side) {
        int ring = 0, dark = 0;
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                if (x != 0 && y != 0 && x != side - 1 && y != side - 1) continue;
                ring++;
                if ((pixels[y * side + x] & 0xFF) < 26) dark++;
            }
        }
        return dark >= 0.9 * ring;
    }

    /**
     * The samples of a one-channel grey image as bytes: 8-bit samples exactly as stored; other bit
     * depths scaled to 0-255 and rounded. Read from the raster, not with {@code getRGB}, which would
     * pass them through Java's linear-grey-to-sRGB conversion (128 would come back as 188).
     */
    static byte[] greyBytes(BufferedImage image) {
        Raster r = image.getRaster();
        int w = image.getWidth(), h = image.getHeight();
        int bits = image.getColorModel().getComponentSize(0);
        double scale = 255.0 / ((1L << bits) - 1);
        int[] row = new int[w];
        byte[] out = new byte[w * h];
        for (int y = 0; y < h; y++) {
            r.getSamples(0, y, w, 1, 0, row);
            for (int x = 0; x < w; x++) out[y * w + x] = (byte) (bits == 8 ? row[x] : Math.round(row[x] * scale));
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------
    // 1. Paper and luminance.

    /** Brightness of every pixel, 0 black to 1 white, transparency composited over paper: {@link Luma#brightness}. */
    public static GreyImage paper(BufferedImage image) {
        return Luma.brightness(image);
    }

    // ---------------------------------------------------------------------------------------------
    // 2. Working size.

    /**
     * The image resized so its longer side is at least {@link #MIN_WORKING} and at most
     * {@link #MAX_WORKING} pixels, aspect ratio kept. A 12-megapixel photo is area-averaged down
     * (a digit filling a tenth of it is still ~100 px tall, its strokes several pixels wide), which
     * keeps every later step fast. A small image (a 28x28 drawing, a 16x16 scan) is enlarged by
     * bilinear interpolation so that the black-and-white drawing rebuilt in step 5 has smooth edges
     * rather than the staircase of its few pixels.
     */
    public static GreyImage workingSize(GreyImage img) {
        int longer = img.longerSide();
        if (longer > MAX_WORKING) {
            double s = (double) MAX_WORKING / longer;
            return Resample.areaAverage(img, scaled(img.width(), s), scaled(img.height(), s));
        }
        if (longer < MIN_WORKING) {
            double s = (double) MIN_WORKING / longer;
            return Resample.bilinear(img, scaled(img.width(), s), scaled(img.height(), s));
        }
        return img;
    }

    private static int scaled(int n, double s) {
        return Math.max(1, (int) Math.round(n * s));
    }

    // ---------------------------------------------------------------------------------------------
    // 3. Polarity.

    /** The image with ink bright (1) and background dark (0), and whether that took an inversion. */
    public record Polarity(GreyImage ink, boolean inverted) {}

    /**
     * MNIST is white ink on black; paper is the other way round. The background's brightness b is
     * the median of the border (a ring {@link #borderWidth} pixels wide: the median ignores a digit
     * that touches the edge, as long as it covers less than half the ring). Under {@code AUTO} the
     * background is light, and the image is inverted ({@code v -> 1 - v}), when b is nearer the
     * brightest pixel than the darkest: {@code max - b < b - min}. Comparing with the image's own
     * range, not with 0.5, also gets a dim photo of white paper (paper 0.45, ink 0.15) right.
     */
    public static Polarity polarity(GreyImage img, Invert invert) {
        boolean flip = switch (invert) {
            case YES -> true;
            case NO -> false;
            case AUTO -> {
                float b = median(border(img));
                yield img.max() - b < b - img.min();
            }
        };
        if (!flip) return new Polarity(img, false);
        float[] out = new float[img.v().length];
        for (int i = 0; i < out.length; i++) out[i] = 1 - img.v()[i];
        return new Polarity(new GreyImage(img.width(), img.height(), out), true);
    }

    /** The ring counted as border: 2% of the shorter side, at least one pixel. */
    static int borderWidth(GreyImage img) {
        return Math.max(1, Math.min(img.width(), img.height()) / 50);
    }

    /** The values of the border ring. */
    static float[] border(GreyImage img) {
        int bw = borderWidth(img), w = img.width(), h = img.height();
        float[] out = new float[w * h];
        int n = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (x < bw || y < bw || x >= w - bw || y >= h - bw) out[n++] = img.get(x, y);
            }
        }
        return Arrays.copyOf(out, n);
    }

    static float median(float[] values) {
        float[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    // ---------------------------------------------------------------------------------------------
    // 4. Background and contrast.

    /**
     * Paper to 0 and the strongest ink to 1: {@code v -> clamp((v - bg) / (max - bg), 0, 1)}.
     *
     * <p>The background level bg is the border's median plus three robust standard deviations of
     * the border (1.4826 x its median absolute deviation, which equals the standard deviation for
     * Gaussian noise): paper grain, sensor noise and JPEG ripples all fall below it and become 0. The
     * stretch then makes a grey pencil line as strong as MNIST's ink.
     *
     * @throws NoDigitException when max - bg is below {@link #MIN_CONTRAST}: the image is blank
     */
    public static GreyImage removeBackground(GreyImage ink) {
        float[] ring = border(ink);
        float med = median(ring);
        float[] dev = new float[ring.length];
        for (int i = 0; i < ring.length; i++) dev[i] = Math.abs(ring[i] - med);
        float bg = med + 3 * 1.4826f * median(dev);
        float hi = ink.max();
        if (hi - bg < MIN_CONTRAST) {
            throw new NoDigitException("no digit found: the image is blank or has almost no contrast"
                    + " (ink differs from the background by " + Math.round(100 * Math.max(0, hi - med)) + "%); give a picture of one digit");
        }
        float[] out = new float[ink.v().length];
        for (int i = 0; i < out.length; i++) out[i] = Math.max(0, Math.min(1, (ink.v()[i] - bg) / (hi - bg)));
        return new GreyImage(ink.width(), ink.height(), out);
    }

    // ---------------------------------------------------------------------------------------------
    // 5. Black and white, as NIST's scans.

    /**
     * The digit as a black-and-white drawing (1 ink, 0 paper), as the NIST scans MNIST was made from
     * were: grey fringes, shading and leftover noise go, the strokes' outline stays.
     *
     * <p>The threshold is Otsu's: over the pixels that are not pure background (v > 0), the level t
     * that splits them into two classes with the largest between-class variance
     * {@code w0(t) * w1(t) * (mu0(t) - mu1(t))^2}, i.e. the natural cut between faint fringe and solid
     * stroke; kept within [0.25, 0.75]. Then every connected piece of ink (8-neighbours) smaller than
     * {@link #SPECK_FRACTION} of the largest piece is removed: dust, a dot of noise, a stray mark
     * far from the digit would otherwise stretch the bounding box of step 6.
     */
    public static GreyImage bilevel(GreyImage ink) {
        float t = Math.max(0.25f, Math.min(0.75f, Otsu.threshold(ink.v())));
        int[] mask = new int[ink.v().length];
        for (int i = 0; i < mask.length; i++) mask[i] = ink.v()[i] >= t ? 1 : 0;
        int[] area = Components.label(mask, ink.width(), ink.height());
        int largest = 0;
        for (int a : area) largest = Math.max(largest, a);
        float[] out = new float[mask.length];
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] > 0 && area[mask[i]] >= SPECK_FRACTION * largest) out[i] = 1;
        }
        return new GreyImage(ink.width(), ink.height(), out);
    }

    /** Otsu's threshold over the values above 0 ({@link Otsu#threshold}). */
    static float otsu(float[] v) {
        return Otsu.threshold(v);
    }

    /** Connected-component labelling with 8-neighbours ({@link Components#label}). */
    static int[] label(int[] mask, int w, int h) {
        return Components.label(mask, w, h);
    }

    // ---------------------------------------------------------------------------------------------
    // 6. Crop.

    /**
     * The smallest rectangle holding every ink pixel (value above 0); MNIST's 20x20 box is filled by
     * the digit, not by paper around it.
     *
     * @throws NoDigitException when there is no ink at all
     */
    public static GreyImage cropToInk(GreyImage img) {
        int x0 = img.width(), y0 = img.height(), x1 = -1, y1 = -1;
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                if (img.get(x, y) <= 0) continue;
                x0 = Math.min(x0, x);
                x1 = Math.max(x1, x);
                y0 = Math.min(y0, y);
                y1 = Math.max(y1, y);
            }
        }
        if (x1 < 0) throw new NoDigitException("no digit found: nothing stands out from the background; give a picture of one digit");
        return img.crop(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
    }

    // ---------------------------------------------------------------------------------------------
    // 7. Stroke width.

    /**
     * The mean width of the strokes of a black-and-white drawing, from its area A and the length of
     * its outline: a stroke of width s and length L has A = s L and an outline of about 2 L, so
     * {@code s = 2 A / outline}. The outline is counted as the number of pixel edges between ink and
     * paper (4-neighbours), which over-counts a curve's length by 4/pi on average over directions
     * (a 45-degree edge has a staircase sqrt(2) times its length), hence
     * {@code s = 2 A / (edges * pi / 4)}.
     */
    public static double strokeWidth(GreyImage drawing) {
        int w = drawing.width(), h = drawing.height();
        long area = 0, edges = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean in = drawing.get(x, y) > 0;
                if (in) area++;
                // Count each ink/paper edge once: to the right and below, plus the image's own border.
                boolean right = x + 1 < w && drawing.get(x + 1, y) > 0;
                boolean down = y + 1 < h && drawing.get(x, y + 1) > 0;
                if (in != right) edges++;
                if (in != down) edges++;
                if (in && x == 0) edges++;
                if (in && y == 0) edges++;
            }
        }
        return edges == 0 ? 0 : 2.0 * area / (edges * Math.PI / 4);
    }

    /**
     * A drawing whose strokes are thinner than MNIST's typical stroke ({@link #MNIST_STROKE_RATIO} of
     * the longer side) made that thick; thicker strokes are left alone. A fine pen in a large photo
     * or a light font would otherwise come out of the 20x20 scaling as a faint one-pixel line, which
     * the network has never seen.
     *
     * <p>Thickening by r pixels on each side is a dilation: every pixel within Euclidean distance r
     * of ink becomes ink (distances from {@link #squaredDistanceToInk}). The stroke becomes s + 2r
     * wide and the drawing's longer side L + 2r, so for the ratio to reach the target rho:
     * {@code (s + 2r) / (L + 2r) = rho  =>  r = (rho L - s) / (2 (1 - rho))}.
     */
    public static GreyImage thickenStrokes(GreyImage drawing) {
        double s = strokeWidth(drawing);
        double rho = MNIST_STROKE_RATIO;
        int longer = drawing.longerSide();
        if (s >= rho * longer) return drawing;
        double r = (rho * longer - s) / (2 * (1 - rho));
        int pad = (int) Math.ceil(r);
        GreyImage padded = drawing.padded(pad);
        return cropToInk(DistanceTransform.dilate(padded, r));
    }

    /** The exact squared Euclidean distance from every pixel to the nearest ink pixel ({@link DistanceTransform#squaredToInk}). */
    public static double[] squaredDistanceToInk(GreyImage img) {
        return DistanceTransform.squaredToInk(img);
    }

    /**
     * A drawing whose strokes are much thicker than MNIST's (over {@link #THICK_STROKE_RATIO} of the
     * longer side: a marker, a bold font) brought to MNIST's typical stroke: eroded
     * ({@link #eroded}) when that keeps every piece and hole, else redrawn on its centre line
     * ({@link #redrawn}).
     */
    public static GreyImage thinStrokes(GreyImage drawing) {
        return thinned(drawing).drawing();
    }

    /**
     * A drawing brought to MNIST's stroke, and how: {@code eroded}, or redrawn on its centre line;
     * {@code opened}: eroding opened a speck the pen had shut downwards ({@link HoleCheck}).
     */
    public record Thinned(GreyImage drawing, boolean eroded, boolean opened) {}

    /** {@link #thinStrokes}, saying which way it went. */
    public static Thinned thinned(GreyImage drawing) {
        Thinned e = eroded(drawing, MNIST_STROKE_RATIO);
        return e != null ? e : new Thinned(redrawn(drawing), false, false);
    }

    /**
     * The drawing eroded (every ink pixel within Euclidean distance r of paper removed) to the
     * stroke ratio rho, or null when that would change its shape's parts: a piece of ink (over 2% of
     * its box) vanishing or breaking in two, or its holes not kept ({@link #holesKept}). A notch
     * that a wide pen closed opens again to the outside (a "6"'s hook parting from its bowl), but
     * does not grow into a loop. Eroding by r thins strokes and shortens the longer side by 2r
     * each, so {@code (s - 2r) / (L - 2r) = rho  =>  r = (s - rho L) / (2 (1 - rho))}. A wide pen grows a
     * glyph by the pen's radius all round, into its holes too; erosion takes that off where it was
     * added. The skeleton ({@link #redrawn}) keeps the hole's middle line instead: a bold "6" whose
     * hook has closed onto its bowl has a small hole low down, and the middle line of the ink
     * round it is a loop nearly as tall as the digit, read as a "0". The answer says too whether
     * a speck opened downwards ({@link HoleCheck}).
     */
    static Thinned eroded(GreyImage drawing, double rho) {
        double s = strokeWidth(drawing);
        double r = (s - rho * drawing.longerSide()) / (2 * (1 - rho));
        if (r <= 0.5) return null;
        GreyImage d = drawing.padded(1);
        GreyImage e = DistanceTransform.erode(d, r);
        int n = e.v().length;
        HoleCheck check = holes(d, e);
        if (!check.kept()) return null;
        // Each piece of the drawing over 2% of its box keeps exactly one piece; smaller ones at most one.
        Components before = Components.of(d), after = Components.of(e);
        int[] within = new int[after.pieces().size() + 1]; // the piece of the drawing each eroded piece lies in
        for (int i = 0; i < n; i++) if (after.labels()[i] > 0) within[after.labels()[i]] = before.labels()[i];
        int[] kept = new int[before.pieces().size() + 1];
        for (Components.Piece p : after.pieces()) kept[within[p.label()]]++;
        long least = (long) Math.ceil(0.02 * n);
        for (Components.Piece p : before.pieces()) {
            if (kept[p.label()] > 1 || kept[p.label()] == 0 && p.area() >= least) return null;
        }
        return after.pieces().isEmpty() ? null : new Thinned(cropToInk(e), true, check.downwards());
    }

    /**
     * Whether eroding {@code d} into {@code e} kept its holes: each hole stays a hole of its own
     * (two never run into one, an "8" into a "0"), except that a minor one ({@link #withoutMinorHoles})
     * must open to the outside and a speck (under {@link #SPECK} of the box) may, but not upwards
     * ({@link #exit}). Both are notches a wide pen closed: a "6"'s hook shut onto its
     * bowl, a "3"'s two mouths shut into two specks of a size, which the centre line would draw
     * as an "8"'s loops.
     */
    static boolean holesKept(GreyImage d, GreyImage e) {
        return holes(d, e).kept();
    }

    /**
     * What eroding did to the drawing's holes: whether they were kept ({@link #holesKept}), and
     * whether a speck opened downwards. A "9"'s tail, shut onto its bowl, opens so; so does an
     * "8"'s lower bowl shut to a slit, broken through at its thin bottom into an arch read as a
     * "9", surely. The two cannot be told apart here, so the digit is then unsure.
     */
    record HoleCheck(boolean kept, boolean downwards) {}

    /** {@link #holesKept}, saying whether a speck opened downwards. */
    static HoleCheck holes(GreyImage d, GreyImage e) {
        boolean downwards = false;
        List<int[]> before = Holes.of(d), after = Holes.of(e);
        int largest = 0;
        for (int[] hole : before) largest = Math.max(largest, hole.length);
        int[] holeOf = new int[e.v().length];
        for (int k = 0; k < after.size(); k++) for (int p : after.get(k)) holeOf[p] = k + 1;
        boolean[] taken = new boolean[after.size() + 1];
        double box = (double) d.width() * d.height();
        for (int[] hole : before) {
            int k = holeOf[hole[0]]; // erosion only adds paper: the hole lies whole in one region of e
            boolean minor = hole.length < MINOR_HOLE * largest;
            if (k == 0) {
                if (minor) continue;
                char side = exit(e, hole);
                if (hole.length >= SPECK * box || side == 'T') return new HoleCheck(false, false);
                downwards |= side == 'B';
            } else {
                if (minor || taken[k]) return new HoleCheck(false, false);
                taken[k] = true;
            }
        }
        return new HoleCheck(true, downwards);
    }

    /**
     * Where the hole, opened to the outside in the eroded drawing {@code e}, first reaches the
     * drawing's outermost ring through the paper of {@code e}: 'L', 'R', 'B' or 'T' (left, right
     * and bottom before top at a tie). A notch a wide pen shut opens to a side or downwards (a
     * "3"'s mouths, a "9"'s tail, a "5"'s); a bowl shut to a speck, broken through at its thin
     * top, turns an "8" into an "H", read as a "4", so a speck may not open upwards.
     */
    static char exit(GreyImage e, int[] hole) {
        int w = e.width(), h = e.height(), n = w * h;
        boolean[] seen = new boolean[n];
        int[] queue = new int[n];
        int head = 0, tail = 0;
        for (int p : hole) {
            seen[p] = true;
            queue[tail++] = p;
        }
        while (head < tail) {
            int p = queue[head++];
            int x = p % w, y = p / w;
            if (x == 0) return 'L';
            if (x == w - 1) return 'R';
            if (y == h - 1) return 'B';
            if (y == 0) return 'T';
            int[] next = {p - 1, p + 1, p - w, p + w};
            for (int q : next) {
                if (seen[q] || e.v()[q] >= 0.5f) continue;
                seen[q] = true;
                queue[tail++] = q;
            }
        }
        return 'T';
    }

    /** A hole under this fraction of the drawing's box may open to the outside when eroded ({@link #holesKept}). */
    static final double SPECK = 0.1;

    /**
     * The drawing thinned to its one-pixel centre line ({@link Thinning#skeleton}), its minor holes
     * filled first, then dilated by a disc of radius r. With S the skeleton's longer side, the
     * stroke becomes 2r + 1 wide and the drawing S + 2r + 1 long, so for the ratio rho:
     * {@code (2r + 1) / (S + 2r + 1) = rho  =>  2r + 1 = rho S / (1 - rho)}. It keeps every stroke
     * and hole, where erosion would cut a stroke thinner than the rest.
     */
    static GreyImage redrawn(GreyImage drawing) {
        double rho = MNIST_STROKE_RATIO;
        GreyImage skeleton = cropToInk(Thinning.skeleton(withoutMinorHoles(drawing)));
        double r = Math.max(0.5, (rho * skeleton.longerSide() / (1 - rho) - 1) / 2);
        int pad = (int) Math.ceil(r);
        return cropToInk(DistanceTransform.dilate(skeleton.padded(pad), r));
    }

    /**
     * The drawing with its minor holes filled in: when it has several holes, those under
     * {@link #MINOR_HOLE} of the largest one's area. A wide pen closes the notch where a "9"'s tail
     * meets its bowl into a speck of paper, which the skeleton would draw as a second loop (an "8");
     * a digit's own holes are of a size (an "8"'s two), or alone (a bold "0"'s slit).
     */
    static GreyImage withoutMinorHoles(GreyImage drawing) {
        List<int[]> holes = Holes.of(drawing);
        int largest = 0;
        for (int[] hole : holes) largest = Math.max(largest, hole.length);
        float[] out = null;
        for (int[] hole : holes) {
            if (hole.length >= MINOR_HOLE * largest) continue;
            if (out == null) out = drawing.v().clone();
            for (int p : hole) out[p] = 1;
        }
        return out == null ? drawing : new GreyImage(drawing.width(), drawing.height(), out);
    }

    /** A hole under this fraction of the drawing's largest hole is filled in before thinning ({@link #withoutMinorHoles}). */
    static final double MINOR_HOLE = 0.25;

    /**
     * One digit's black-and-white drawing (cropped to its ink) to the 28x28 bytes: deskewed when
     * asked ({@link Moments#deskew}), strokes brought to MNIST's width both ways when asked
     * ({@link #thinStrokes}, {@link #thickenStrokes}), then steps 8-10 ({@link #fitBox},
     * {@link #centreByMass}, {@link #toBytes}). Each step's picture goes to {@code trace}.
     */
    public static byte[] normaliseDigit(GreyImage drawing, Page.Options o, Page.Trace trace) {
        return normalise(drawing, o, trace).pixels();
    }

    /** One digit as the network sees it, and why its shape is a guess (null: it is not). */
    public record Normalised(byte[] pixels, String doubt) {}

    /**
     * Redrawn on its centre line, a bold drawing whose holes are mostly shut gets loops the
     * drawing does not show: the centre line round a small hole is a loop nearly the digit's size.
     * When the redrawn drawing's holes cover more than this many times the share of its box that
     * the drawing's own holes do (and over a twentieth of it), the digit is unsure.
     */
    static final double INVENTED_LOOPS = 3;

    /** {@link #normaliseDigit}, saying when thinning had to invent the digit's loops. */
    public static Normalised normalise(GreyImage drawing, Page.Options o, Page.Trace trace) {
        String doubt = null;
        GreyImage d = drawing;
        trace.step("7 one digit", d);
        if (o.deskew()) {
            double skew = Moments.skew(d);
            if (Math.abs(skew) > 0.05) {
                GreyImage sheared = Moments.deskew(d, skew);
                float[] b = new float[sheared.v().length];
                for (int i = 0; i < b.length; i++) b[i] = sheared.v()[i] >= 0.5f ? 1 : 0;
                d = cropToInk(new GreyImage(sheared.width(), sheared.height(), b));
            }
            trace.step(String.format(java.util.Locale.ROOT, "8 deskewed (slant %.2f)", skew), d);
        }
        double ratio = strokeWidth(d) / d.longerSide();
        if (o.thin() && ratio > THICK_STROKE_RATIO) {
            Thinned t = thinned(d);
            if (t.opened()) doubt = "its shape is a guess: a pen this wide had closed it up";
            if (!t.eroded()) {
                double before = holeShare(d), after = holeShare(t.drawing());
                if (after > 0.05 && after > INVENTED_LOOPS * before) {
                    doubt = "its loops are a guess: a pen this wide closed them up";
                }
            }
            d = t.drawing();
            trace.step(String.format(java.util.Locale.ROOT, "9 strokes thinned, %s (%.2f of the height, MNIST %.3f)",
                    t.eroded() ? "eroded" : "redrawn on the centre line", ratio, MNIST_STROKE_RATIO), d);
        } else if (o.thicken() && ratio < MNIST_STROKE_RATIO) {
            d = thickenStrokes(d);
            trace.step(String.format(java.util.Locale.ROOT, "9 strokes thickened (%.2f of the height, MNIST %.3f)", ratio, MNIST_STROKE_RATIO), d);
        }
        GreyImage field = centreByMass(fitBox(d));
        trace.step("10 28x28 (20x20 box, centred by mass)", field);
        return new Normalised(toBytes(field), doubt);
    }

    /** The share of the drawing's box that its holes cover. */
    static double holeShare(GreyImage d) {
        long area = 0;
        for (int[] hole : Holes.of(d.padded(1))) area += hole.length;
        return (double) area / ((long) d.width() * d.height());
    }

    // ---------------------------------------------------------------------------------------------
    // 8. Into MNIST's 20x20 box.

    /**
     * The drawing area-averaged ({@link Resample#areaAverage}) so its longer side is {@value #BOX} px
     * and the shorter one keeps the aspect ratio: {@code round(short * 20 / long)}, at least 1. A "1"
     * stays a narrow bar, as in MNIST. The anti-aliased edges this makes are MNIST's grey levels.
     */
    public static GreyImage fitBox(GreyImage drawing) {
        int longer = drawing.longerSide();
        int w = Math.max(1, (int) Math.round((double) drawing.width() * BOX / longer));
        int h = Math.max(1, (int) Math.round((double) drawing.height() * BOX / longer));
        return Resample.areaAverage(drawing, w, h);
    }

    // ---------------------------------------------------------------------------------------------
    // 9. Centre of mass.

    /**
     * The 28x28 field with the digit placed so that its centre of mass is at the field's centre,
     * as MNIST was made. With pixel (x, y) covering [x, x+1) x [y, y+1), the centre of mass is
     *
     * <pre>
     *   cx = sum v(x,y) (x + 0.5) / sum v(x,y)      cy likewise
     * </pre>
     *
     * and the field's centre is (14, 14). The digit moves by whole pixels, so no second resampling
     * blurs it: its top-left corner goes to (round(14 - cx), round(14 - cy)), kept within
     * [0, 28 - size] so that no ink is pushed out of the field (for a lopsided digit this leaves
     * the centre of mass up to a few pixels off; training shifted images by up to 2 px).
     */
    public static GreyImage centreByMass(GreyImage box) {
        double[] c = Moments.centreOfMass(box);
        int ox = Math.max(0, Math.min(SIDE - box.width(), (int) Math.round(SIDE / 2.0 - c[0])));
        int oy = Math.max(0, Math.min(SIDE - box.height(), (int) Math.round(SIDE / 2.0 - c[1])));
        GreyImage field = GreyImage.zeros(SIDE, SIDE);
        for (int y = 0; y < box.height(); y++) {
            for (int x = 0; x < box.width(); x++) field.set(ox + x, oy + y, box.get(x, y));
        }
        return field;
    }

    /** {cx, cy}: the ink-weighted mean of the pixel centres ({@link Moments#centreOfMass}). */
    public static double[] centreOfMass(GreyImage img) {
        return Moments.centreOfMass(img);
    }

    // ---------------------------------------------------------------------------------------------
    // 10. Bytes.

    /**
     * The field as MNIST's bytes: each value scaled so the strongest ink is 255 (as in nearly every
     * MNIST digit), then rounded, {@code b = round(255 v / max)}. The network is then given b / 255,
     * exactly what it is given for an IDX file, so nothing here can differ from training in scale.
     */
    public static byte[] toBytes(GreyImage field) {
        float max = field.max();
        byte[] out = new byte[field.v().length];
        if (max <= 0) return out;
        for (int i = 0; i < out.length; i++) out[i] = (byte) Math.round(255 * Math.max(0, field.v()[i]) / max);
        return out;
    }
}
