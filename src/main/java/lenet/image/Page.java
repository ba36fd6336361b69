package lenet.image;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reading a picture of a line of digits: a page, a photo of paper on a table, a screen, a drawing.
 * Each digit found comes out as the 28x28 image MNIST would have made of it.
 *
 * <ol>
 *   <li>{@link Luma#brightness}: colour and transparency to one brightness per pixel.
 *   <li>{@link #workingSize}: the picture scaled so the longer side is at most 1024 px and the
 *       shorter at least 128 (if the longer allows).
 *   <li>{@link Background}: which way round ink and ground are (the ground is most of the picture),
 *       the paper's local brightness under its shadows, and each pixel's ink as its contrast with
 *       its own paper; too little contrast means no digit.
 *   <li>Black and white by Otsu's threshold, and its {@link Components}.
 *   <li>{@link Segmentation}: specks, edges, blots, lines and circles dropped; the pieces of one
 *       digit joined; touching digits cut. With the digits' stroke width known, steps 3-5 run
 *       again with a background window fitted to it (6 strokes wide), so that shadows and glare
 *       smaller than the first window are followed too.
 *   <li>Per digit, {@link Preprocessing#normaliseDigit}: deskewed, its strokes made MNIST's width,
 *       fitted to 20x20, centred by mass in 28x28.
 * </ol>
 *
 * An MNIST-shaped image (28x28, one grey channel, dark border) is one digit used byte for byte.
 */
public final class Page {
    /**
     * How to read.
     *
     * @param invert      which way round ink and ground are (AUTO: decided from the picture)
     * @param minContrast the faintest ink read, as its contrast with the paper {@code 1 - ink / paper} (0-1)
     * @param deskew      straighten slanted digits by their moments
     * @param thin        thin strokes much thicker than MNIST's
     * @param thicken     thicken strokes thinner than MNIST's
     * @param single      the whole picture is one digit (the steps of {@link Preprocessing#toMnist})
     * @param split       cut touching digits apart where the network reads the pieces best ({@link TouchingDigits});
     *                    off, or without a network, a piece too wide for one digit is cut by width alone
     */
    public record Options(Preprocessing.Invert invert, float minContrast, boolean deskew, boolean thin, boolean thicken, boolean single, boolean split) {
        public static final float DEFAULT_CONTRAST = 0.06f;

        public static Options defaults() {
            return new Options(Preprocessing.Invert.AUTO, DEFAULT_CONTRAST, true, true, true, false, true);
        }
    }

    /** The least probability of a sure answer: below it {@code predict} says "unsure" ({@code train.Reading}). */
    public static final float CONFIDENT = 0.9f;

    /** The network's ten probabilities for a 28x28 image (bytes, 0 background to 255 ink); must be safe to call from several threads. */
    public interface Classifier {
        float[] probabilities(byte[] pixels);

        /** False when the image is unlike the digits the network learned from (its features far from every class); true when nothing judges that. */
        default boolean familiar(byte[] pixels) {
            return true;
        }
    }

    /** A box in the picture's pixels (upright, at the size the file holds). */
    public record Box(int x, int y, int width, int height) {}

    /**
     * One digit as the network will see it.
     *
     * @param box    where it is in the picture
     * @param pixels 28x28 bytes, 0 background to 255 ink
     * @param aspect its width over its height before scaling (digits are rarely wider than tall)
     * @param note   how it was found, in words ("" when nothing special)
     * @param cut    cut out of ink it shared with a neighbour (digits that touch): where the cut
     *               runs is a guess, so the answer is never sure
     * @param doubt  why the whole picture's reading is not to be trusted (null: no such reason)
     */
    public record Digit(Box box, byte[] pixels, double aspect, String note, boolean cut, String doubt) {
        public Digit(Box box, byte[] pixels, double aspect, String note, boolean cut) {
            this(box, pixels, aspect, note, cut, null);
        }

        public Digit(Box box, byte[] pixels, double aspect, String note) {
            this(box, pixels, aspect, note, false, null);
        }
    }

    /**
     * More specks than this dropped from one picture: the "ink" is the paper's grain or the
     * camera's noise (a blank sheet read at its faintest), and what is left of it is no writing.
     * Pictures of digits in the stand-in sets drop at most 32; blank sheets 199-862.
     */
    static final int GRAINY = 100;

    /**
     * What was read.
     *
     * @param digits   left to right
     * @param asIs     the picture was MNIST-shaped and used unchanged
     * @param inverted the ink was dark on light paper, so the picture was inverted to MNIST's light-on-dark
     * @param notes    what was dropped or done, in words
     */
    public record Result(List<Digit> digits, boolean asIs, boolean inverted, List<String> notes) {}

    /** Receives a picture of each step (values 0-1; what 1 means is in the name), for --steps and the README. */
    public interface Trace {
        void step(String name, GreyImage image);

        Trace NONE = (name, image) -> {};
    }

    static final int MAX_WORKING = 1024, MIN_SHORTER = 128, MIN_LONGER = 256;

    private Page() {}

    /** The longer side the decoder must deliver for this pipeline: more is area-averaged away. */
    public static int longerSideNeeded() {
        return MAX_WORKING;
    }

    /** Reads the digits of {@code image} without a network: touching digits are cut by width alone. */
    public static Result read(BufferedImage image, int subsampling, Options o, Trace trace) {
        return read(image, subsampling, o, trace, null);
    }

    /**
     * Reads the digits of {@code image}, decoded with {@code subsampling} (1: full size), tracing
     * each step; {@code network} (may be null) judges where touching digits are cut apart.
     */
    public static Result read(BufferedImage image, int subsampling, Options o, Trace trace, Classifier network) {
        if (o.invert() != Preprocessing.Invert.YES && Preprocessing.isMnistShaped(image)) {
            return new Result(List.of(new Digit(new Box(0, 0, 28, 28), Preprocessing.greyBytes(image), 1, "")), true, false, List.of());
        }
        GreyImage brightness = Luma.brightness(image);
        trace.step("1 brightness", brightness);
        if (o.single()) {
            Preprocessing.Result r = Preprocessing.toMnist(image, o.invert());
            Box all = new Box(0, 0, image.getWidth() * subsampling, image.getHeight() * subsampling);
            return new Result(List.of(new Digit(all, r.pixels(), 1, "")), false, r.inverted(), List.of());
        }
        GreyImage work = workingSize(brightness);
        double toPicture = (double) subsampling * brightness.width() / work.width();
        trace.step("2 working size", work);

        // Which way round? Background.darkInk's guess is read first; under AUTO the other way is
        // read too when the guess finds nothing with a digit's shape (not when its ink was only too
        // faint), and the one with more wins.
        // A sheet of paper lying inside the picture on a darker surface: the surface is painted
        // over with the sheet's paper, so that neither the guess below nor the ink sees it.
        Sheet.Found sheet = o.invert() == Preprocessing.Invert.NO ? null : Sheet.find(work);
        if (sheet != null) {
            work = sheet.painted();
            trace.step("2b the sheet (the surface around it painted over)", work);
        }
        int k = odd(Math.max(15, Math.min(work.width(), work.height()) / 4));
        boolean guess = Background.darkInk(work, k);
        List<Boolean> ways = switch (o.invert()) {
            case AUTO -> List.of(guess, !guess);
            case YES -> List.of(true);
            case NO -> List.of(false);
        };
        Candidate best = null;
        Preprocessing.NoDigitException firstFailure = null;
        for (boolean way : ways) {
            try {
                Candidate c = analyse(work, way, o, guess, k);
                if (best == null || c.score > best.score) best = c;
                if (best.score > 0) break;
            } catch (Preprocessing.NoDigitException e) {
                if (firstFailure == null) firstFailure = e;
                // Ink the way the picture looks, but too faint for the floor (a pencil line): read
                // the other way round, the paper inside its loops would be taken for ink.
                if (e.faint() && way == guess && best == null) break;
            }
        }
        if (best == null) {
            if (o.invert() != Preprocessing.Invert.AUTO && guess != ways.get(0) && !firstFailure.getMessage().contains("--invert")) {
                throw new Preprocessing.NoDigitException(firstFailure.getMessage() + "; --invert " + o.invert().cliName()
                        + " reads the picture the other way round from how it looks (" + (guess ? "dark ink on light paper" : "light ink on a dark ground")
                        + "); try --invert auto");
            }
            throw firstFailure;
        }
        boolean dark = best.dark;
        Background.Ink ink = best.ink;
        Pass pass = best.pass;
        List<String> notes = best.notes;
        if (sheet != null) notes.add(0, "read only the sheet of paper: the surface around it was painted over");
        trace.step("3 paper (background estimate, window " + (pass.window) + " px)", ink.paper());
        trace.step("4 ink (contrast with the paper, stretched)", ink.ink());
        trace.step("5 black and white", pass.binary);
        GreyImage keptPicture = pass.components.keep(pass.found.digits().stream().flatMap(g -> g.pieces().stream()).toList());
        trace.step("6 digits (what was kept)", keptPicture);
        if (pass.found.digits().isEmpty()) {
            throw new Preprocessing.NoDigitException("no digit found: nothing left that looks like a digit"
                    + (pass.found.dropped().isEmpty() ? "" : " (dropped: " + String.join("; ", pass.found.dropped()) + ")"));
        }
        notes.addAll(pass.found.dropped());

        List<Digit> digits = new ArrayList<>();
        double expected = expectedWidth(pass.found.digits());
        boolean traced = false;
        for (Segmentation.Group g : pass.found.digits()) {
            GreyImage drawing = pass.components.draw(g.pieces());
            Trace t = digits.isEmpty() ? trace : Trace.NONE;
            if (o.split() && network != null && TouchingDigits.worthTrying(drawing.width(), drawing.height(), expected)
                    && !(drawing.width() <= TouchingDigits.WIDEST * drawing.height() && readsSurely(network, Preprocessing.normaliseDigit(drawing, o, Trace.NONE)))) {
                TouchingDigits.Split split = TouchingDigits.split(drawing, expected, pass.found.digits().size() == 1, p -> readingOfPiece(network, Preprocessing.normaliseDigit(p, o, Trace.NONE)));
                if (split != null) {
                    if (!traced && split.count() > 1) {
                        trace.step(String.format(Locale.ROOT, "6b %s cut into %d (expected width %.0f px)", split.touched() ? "touching digits" : "a wide piece", split.count(), expected),
                                withCuts(drawing, split.cuts()));
                        traced = true;
                    }
                    for (int i = 0; i < split.count(); i++) {
                        int[] off = split.offsets().get(i);
                        String note = split.count() == 1 ? g.note() : split.touched() ? "touching: cut from one piece of ink holding " + split.count() + " digits" : "";
                        digits.add(digit(split.digits().get(i), g.x0() + off[0], g.y0() + off[1], toPicture, note, split.touched() && split.count() > 1, o,
                                digits.isEmpty() ? trace : Trace.NONE));
                    }
                    continue;
                }
                // No way of cutting it gives pieces of a digit's size (a flat "2" wider than one
                // digit, blurred): it is read whole, and said to be too wide, rather than cut blindly.
                digits.add(digit(drawing, g.x0(), g.y0(), toPicture, g.note(), false, o, t));
                continue;
            }
            int[] cuts = Segmentation.cuts(drawing);
            if (cuts.length == 0) {
                digits.add(digit(drawing, g.x0(), g.y0(), toPicture, g.note(), false, o, t));
                continue;
            }
            int from = 0;
            for (int i = 0; i <= cuts.length; i++) {
                int to = i < cuts.length ? cuts[i] : drawing.width();
                GreyImage part = drawing.crop(from, 0, to - from, drawing.height());
                int[] ink0 = inkBox(part);
                if (ink0 != null) {
                    GreyImage cut = part.crop(ink0[0], ink0[1], ink0[2], ink0[3]);
                    digits.add(digit(cut, g.x0() + from + ink0[0], g.y0() + ink0[1], toPicture,
                            "cut from " + (cuts.length + 1) + " touching digits", true, o, digits.isEmpty() ? trace : Trace.NONE));
                }
                from = to;
            }
        }
        if (pass.found.specks() > GRAINY) {
            String doubt = "the picture is mostly specks (" + pass.found.specks() + " dropped): the paper's grain or noise, not writing";
            digits.replaceAll(d -> new Digit(d.box(), d.pixels(), d.aspect(), d.note(), d.cut(), doubt));
        }
        return new Result(digits, false, dark, notes);
    }

    /**
     * The width of one digit in this line: the median width of the groups shaped like one digit
     * that is not a "1" (0.45 to 1 times as wide as tall), else 0.65 of the median height (MNIST's
     * and the fonts' digits other than 1 are about that wide); kept within 0.45-0.9 of the height.
     */
    static double expectedWidth(List<Segmentation.Group> groups) {
        List<Integer> widths = new ArrayList<>(), heights = new ArrayList<>();
        for (Segmentation.Group g : groups) {
            heights.add(g.height());
            double aspect = (double) g.width() / g.height();
            if (aspect >= 0.45 && aspect <= 1.0) widths.add(g.width());
        }
        if (heights.isEmpty()) return 1;
        double h = median(heights);
        double w = widths.isEmpty() ? 0.65 * h : median(widths);
        return Math.max(0.45 * h, Math.min(0.9 * h, w));
    }

    private static double median(List<Integer> v) {
        List<Integer> s = new ArrayList<>(v);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2.0;
    }

    /** Taken off the reading of a candidate piece whose features are unlike any digit's (two digits squeezed into one box, half a digit), in natural-log units. */
    static final double UNFAMILIAR = 0.5;

    /** How well a candidate piece reads: {@link #steadyConfidence}, less {@link #UNFAMILIAR} when it is unlike the digits the network learned from. */
    static double readingOfPiece(Classifier network, byte[] px) {
        return steadyConfidence(network, px) - (network.familiar(px) ? 0 : UNFAMILIAR);
    }

    /**
     * How well the network reads a candidate digit, steadily: the mean of log p(d) over the digit
     * and its six moved and turned copies ({@link Variants}), d being the digit it reads in the
     * original. A clean digit keeps p(d) near 1 in all seven; two digits squeezed into one box, or
     * half a digit, may be read confidently once but not in every copy.
     */
    static double steadyConfidence(Classifier network, byte[] px) {
        float[] p = network.probabilities(px);
        int d = 0;
        for (int k = 1; k < p.length; k++) if (p[k] > p[d]) d = k;
        double sum = Math.log(Math.max(1e-9, p[d]));
        List<byte[]> copies = Variants.of(px);
        for (byte[] v : copies) sum += Math.log(Math.max(1e-9, network.probabilities(v)[d]));
        return sum / (copies.size() + 1);
    }

    /**
     * True when the network reads a piece as one digit it would answer surely: its best digit at
     * least {@link #CONFIDENT}, the same digit in all six moved and turned copies
     * ({@link Variants}), and familiar ({@link Classifier#familiar}). Such a piece is left whole:
     * cutting it could only trade a sure answer for guesses (a wide "0" read as "69", a "9" on a
     * table as "8611"). Two digits squeezed into one box ("94" read as a 4) are often read
     * confidently, but their features are unlike any digit's.
     */
    static boolean readsSurely(Classifier network, byte[] px) {
        int d = best(network.probabilities(px), CONFIDENT);
        if (d < 0) return false;
        for (byte[] v : Variants.of(px)) if (best(network.probabilities(v), 0) != d) return false;
        return network.familiar(px);
    }

    /** The most probable class, or -1 when its probability is under {@code floor}. */
    private static int best(float[] p, float floor) {
        int d = 0;
        for (int k = 1; k < p.length; k++) if (p[k] > p[d]) d = k;
        return p[d] >= floor ? d : -1;
    }

    /** The drawing with the cuts drawn over it at half strength, for --steps. */
    private static GreyImage withCuts(GreyImage drawing, List<TouchingDigits.Cut> cuts) {
        GreyImage out = new GreyImage(drawing.width(), drawing.height(), drawing.v().clone());
        for (TouchingDigits.Cut c : cuts) {
            for (int y = 0; y < out.height(); y++) if (c.x()[y] >= 0 && c.x()[y] < out.width()) out.set(c.x()[y], y, 0.5f);
        }
        return out;
    }

    /**
     * A background window wide enough for the boldest stroke, found roughly before the paper is
     * known: the picture split by Otsu's threshold (this way round), and over its pieces of a
     * digit's kind (not touching the picture's edge, at least 1% of the picture, filling under
     * 90% of their box, with a sharp edge: under {@link #SHARP_EDGE} pixels between the two sides'
     * levels around the piece per pixel of its outline, where glare measures 9), the largest
     * distance d from an ink pixel to paper. The closing fills in
     * ink only where paper lies within half the window, so a stroke 2d wide needs a window over
     * 2d; this asks for 3d + 1 (odd), at most the shorter side. A bold glyph filling much of the
     * picture (a wide pen's "0") is wider than a quarter of it: its middle was taken for paper and
     * only its rims were found, read as "11".
     */
    static int boldWindow(GreyImage work, boolean dark) {
        int w = work.width(), h = work.height(), n = w * h;
        float[] p = new float[n];
        for (int i = 0; i < n; i++) p[i] = dark ? 1 - work.v()[i] : work.v()[i];
        float t = Otsu.threshold(p);
        float[] ink = new float[n];
        for (int i = 0; i < n; i++) ink[i] = p[i] > t ? 1 : 0;
        GreyImage inkImage = new GreyImage(w, h, ink);
        Components c = Components.of(inkImage);
        // The two sides' typical levels, for telling a sharp edge from a soft one.
        double inkSum = 0, paperSum = 0;
        long inkN = 0;
        for (int i = 0; i < n; i++) {
            if (ink[i] > 0) {
                inkSum += p[i];
                inkN++;
            } else {
                paperSum += p[i];
            }
        }
        if (inkN == 0 || inkN == n) return 0;
        double hi = inkSum / inkN, lo = paperSum / (n - inkN);
        double bandLo = lo + 0.25 * (hi - lo), bandHi = lo + 0.75 * (hi - lo);
        boolean[] digitLike = new boolean[c.pieces().size() + 1];
        boolean any = false;
        for (Components.Piece piece : c.pieces()) {
            if (piece.onBorder() > 0 || piece.area() < 0.01 * n || piece.fill() >= 0.9) continue;
            // A pen's edge goes from paper to ink within a few pixels; glare or a shadow's blur
            // over many: the pixels between the two levels, around the piece, per pixel of its outline.
            int mx = piece.width() / 10 + 2, my = piece.height() / 10 + 2;
            long between = 0;
            for (int y = Math.max(0, piece.y0() - my); y <= Math.min(h - 1, piece.y1() + my); y++) {
                for (int x = Math.max(0, piece.x0() - mx); x <= Math.min(w - 1, piece.x1() + mx); x++) {
                    float v = p[y * w + x];
                    if (v > bandLo && v < bandHi) between++;
                }
            }
            digitLike[piece.label()] = between <= SHARP_EDGE * piece.edges();
            any |= digitLike[piece.label()];
        }
        if (!any) return 0;
        double[] toPaper = DistanceTransform.squaredToPaper(inkImage);
        double widest = 0;
        for (int i = 0; i < n; i++) if (digitLike[c.labels()[i]]) widest = Math.max(widest, toPaper[i]);
        int k = (int) Math.ceil(3 * Math.sqrt(widest)) + 1;
        return odd(Math.min(k, Math.min(w, h) - 1));
    }

    /** A sharp edge: at most this many pixels between paper and ink levels per pixel of outline ({@link #boldWindow}). */
    static final double SHARP_EDGE = 3;

    /** One way round: its ink, segmentation and how many digit-shaped groups it found. */
    private record Candidate(boolean dark, Background.Ink ink, Pass pass, List<String> notes, double score) {}

    /**
     * Steps 3-5 for one way round: the ink with a background window a quarter of the shorter side
     * (wider when a bold glyph needs it: {@link #boldWindow}), then again with a window fitted to the strokes found (six strokes wide, so an 8's loops and a
     * 0's hole are filled in with paper) when that is much smaller, so that smaller shadows and
     * glare are followed too.
     */
    private static Candidate analyse(GreyImage work, boolean dark, Options o, boolean guess, int k) {
        List<String> notes = new ArrayList<>();
        k = Math.max(k, boldWindow(work, dark));
        Background.Ink ink = Background.ink(work, dark, k);
        checkContrast(ink, o, o.invert() != Preprocessing.Invert.AUTO && dark != guess);
        Pass pass = pass(ink, notes, k);
        double stroke = medianStroke(pass);
        if (stroke > 0) {
            int k2 = odd((int) Math.max(15, Math.min(k, Math.round(6 * stroke))));
            if (k2 < 0.7 * k) {
                Background.Ink again = Background.ink(work, dark, k2);
                if (again.contrast() >= o.minContrast()) {
                    List<String> notes2 = new ArrayList<>();
                    Pass second = pass(again, notes2, k2);
                    // A window narrower than the strokes fills them in as paper: the second pass
                    // then finds only what lies between them (the slit inside a bold 0) and must
                    // keep at least half of the first pass's ink to be taken.
                    if (score(second) >= score(pass) && 2 * inkArea(second) >= inkArea(pass)) {
                        ink = again;
                        pass = second;
                        notes = notes2;
                    }
                }
            }
        }
        return new Candidate(dark, ink, pass, notes, score(pass));
    }

    /**
     * How much the segmentation looks like pen strokes: over the groups with a digit's proportions
     * (width 0.1 to 5 times the height: wider ones are cut as touching digits) and a pen's coverage
     * of their box ({@link #LEAST_FILL} to {@link #MOST_FILL}: a fine pen's 0 with a stem above covers 6%, a wide pen's 8 up to 90%), or thin,
     * upright and straight (a "1": under a tenth as wide as tall and at least
     * {@link #UPRIGHT_STROKE} stroke widths long), the sum of their elongation {@code A / s^2} (area over the square
     * of the stroke width: a stroke's length in stroke widths), each counted up to 40. Handwritten
     * and printed digits measure 10-30; what the wrong way round finds, the holes and the gaps
     * between strokes or the paper itself, is blobs of 1-5.
     */
    /** A pen's coverage of its box is at least this: a fine pen's "0" with a stem above covers 6-7%. */
    static final double LEAST_FILL = 0.03;
    /**
     * A pen's coverage of its box is at most this: an ellipse fills 78.5% of its box, and a wide
     * pen's "8" or "0", its holes shrunk to specks, up to 90%. Under 80%, such an "8" did not count
     * as a pen's, and its holes, read the other way round, won ("104").
     */
    static final double MOST_FILL = 0.9;
    /** A group under a tenth as wide as tall, at least this many stroke widths long, is a "1" drawn straight. */
    static final double UPRIGHT_STROKE = 8;

    private static double score(Pass pass) {
        double score = 0;
        for (Segmentation.Group g : pass.found.digits()) {
            long area = 0;
            double sw = 0;
            for (Components.Piece p : g.pieces()) {
                area += p.area();
                sw += p.strokeWidth() * p.area();
            }
            sw /= Math.max(1, area);
            double fill = (double) area / ((long) g.width() * g.height());
            double aspect = (double) g.width() / g.height();
            if (sw <= 0) continue;
            double elongation = area / (sw * sw);
            boolean penLike = fill >= LEAST_FILL && fill <= MOST_FILL && aspect >= 0.1 && aspect <= 5;
            // A "1" drawn as one straight, thin, upright stroke fills its narrow box: a pen stroke all the same.
            boolean upright = aspect < 0.1 && elongation >= UPRIGHT_STROKE;
            if (penLike || upright) score += Math.min(40, elongation);
        }
        return score;
    }

    /** Ink pixels in the groups a pass kept as digits. */
    private static long inkArea(Pass pass) {
        long area = 0;
        for (Segmentation.Group g : pass.found.digits()) for (Components.Piece p : g.pieces()) area += p.area();
        return area;
    }

    private static Digit digit(GreyImage drawing, int x0, int y0, double toPicture, String note, boolean cut, Options o, Trace trace) {
        Box box = new Box((int) Math.floor(x0 * toPicture), (int) Math.floor(y0 * toPicture),
                (int) Math.ceil(drawing.width() * toPicture), (int) Math.ceil(drawing.height() * toPicture));
        Preprocessing.Normalised n = Preprocessing.normalise(drawing, o, trace);
        return new Digit(box, n.pixels(), (double) drawing.width() / drawing.height(), note, cut, n.doubt());
    }

    /** {x, y, w, h} of the ink in {@code img}, or null when there is none. */
    private static int[] inkBox(GreyImage img) {
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
        return x1 < 0 ? null : new int[] {x0, y0, x1 - x0 + 1, y1 - y0 + 1};
    }

    /** One pass of steps 4-5 on an ink map. */
    private record Pass(GreyImage binary, Components components, Segmentation.Found found, int window) {}

    private static Pass pass(Background.Ink ink, List<String> notes, int window) {
        GreyImage binary = blackAndWhite(ink.ink());
        Components c = Components.of(binary);
        Segmentation.Found found = Segmentation.digits(c, binary.width(), binary.height());
        // Long horizontal runs (a line under several digits, a ruled line) joined to digits: erase
        // runs longer than 1.6 times the tallest digit (no digit has a bar that long) and look again.
        int tallest = 0;
        for (Segmentation.Group g : found.digits()) tallest = Math.max(tallest, g.height());
        boolean erased = false;
        if (tallest > 0 && eraseLongRuns(binary, (int) Math.ceil(1.6 * tallest))) {
            notes.add("erased horizontal lines longer than 1.6 digit heights");
            erased = true;
        }
        for (Segmentation.Group g : found.digits()) {
            if (eraseUnderline(binary, c, g) || eraseSlantedUnderline(binary, c, g)) {
                notes.add("erased a line under the digit at " + g.x0() + "," + g.y0());
                erased = true;
            }
        }
        if (erased) {
            c = Components.of(binary);
            found = Segmentation.digits(c, binary.width(), binary.height());
        }
        return new Pass(binary, c, found, window);
    }

    /** Otsu's threshold over the ink, kept within [0.2, 0.6] (a faint page has little to split). */
    static GreyImage blackAndWhite(GreyImage ink) {
        float t = Math.max(0.2f, Math.min(0.6f, Otsu.threshold(ink.v())));
        float[] out = new float[ink.v().length];
        for (int i = 0; i < out.length; i++) out[i] = ink.v()[i] >= t ? 1 : 0;
        return new GreyImage(ink.width(), ink.height(), out);
    }

    /**
     * An underline drawn into the digit: in a group wider than tall, a band of rows at its bottom
     * (at most a quarter of its height; narrower rows below it, a slanted line's or its rounded
     * ends', are skipped) where the ink spans at least 80% of the group's width, while the ink
     * above the band spans less than 80% of it and the band reaches beyond that ink by a quarter
     * of the group's width in all (a line drawn under the digit, not the digit's own base), and,
     * in a group no more than 1.2 times as wide as tall, by a tenth of the width on each side (a
     * "2"'s long foot reaches out on its right only). Those rows are erased; true when there was
     * such a band.
     */
    static boolean eraseUnderline(GreyImage binary, Components c, Segmentation.Group g) {
        if (g.width() <= g.height()) return false;
        boolean narrow = g.width() <= 1.2 * g.height();
        boolean[] mine = new boolean[c.pieces().size() + 1];
        for (Components.Piece p : g.pieces()) mine[p.label()] = true;
        int w = binary.width();
        int[] span = new int[g.height()]; // per row: rightmost - leftmost ink of the group + 1
        int[] left = new int[g.height()], right = new int[g.height()];
        for (int y = g.y0(); y <= g.y1(); y++) {
            int lo = -1, hi = -1;
            for (int x = g.x0(); x <= g.x1(); x++) {
                if (!mine[c.labels()[y * w + x]] || binary.get(x, y) <= 0) continue;
                if (lo < 0) lo = x;
                hi = x;
            }
            span[y - g.y0()] = lo < 0 ? 0 : hi - lo + 1;
            left[y - g.y0()] = lo < 0 ? Integer.MAX_VALUE : lo;
            right[y - g.y0()] = hi;
        }
        // The line's lowest rows may be narrower (its rounded ends, a slight slant): skip up to a
        // quarter of the height of them, then take the rows that span the line.
        int top = g.height();
        while (top > g.height() - g.height() / 4 && span[top - 1] < 0.8 * g.width()) top--;
        if (top == g.height() - g.height() / 4) return false;
        while (top > 0 && span[top - 1] >= 0.8 * g.width()) top--;
        int band = g.height() - top;
        if (band == 0 || band > g.height() / 4) return false;
        int above = 0, aboveLeft = Integer.MAX_VALUE, aboveRight = -1, lineLeft = Integer.MAX_VALUE, lineRight = -1;
        for (int y = 0; y < top; y++) {
            above = Math.max(above, span[y]);
            aboveLeft = Math.min(aboveLeft, left[y]);
            aboveRight = Math.max(aboveRight, right[y]);
        }
        if (above >= 0.8 * g.width()) return false;
        for (int y = top; y < g.height(); y++) {
            lineLeft = Math.min(lineLeft, left[y]);
            lineRight = Math.max(lineRight, right[y]);
        }
        // A line reaches out beyond the digit (a quarter of the width in all); a digit's own base
        // (a "2"'s bar, a "1"'s foot) hardly does.
        if (Math.max(0, aboveLeft - lineLeft) + Math.max(0, lineRight - aboveRight) < 0.25 * g.width()) return false;
        // A group only a little wider than tall may be a "2" with a long base, which reaches out on
        // its right only: there a line must reach out on both sides.
        if (narrow && Math.min(aboveLeft - lineLeft, lineRight - aboveRight) < 0.1 * g.width()) return false;
        for (int y = g.y0() + top; y <= g.y1(); y++) {
            for (int x = g.x0(); x <= g.x1(); x++) if (mine[c.labels()[y * w + x]]) binary.set(x, y, 0);
        }
        // A line drawn at a slight slant rises across the group: its thinner end lies in the rows
        // just above the band, and left there, it read as part of the digit (a "7" as "52"). Up to
        // twice the band's height above it, runs of the group's ink longer than a quarter of its
        // width go too; a digit's stem meeting the line is narrower.
        int longest = (int) (0.25 * g.width());
        for (int y = Math.max(g.y0(), g.y0() + top - 2 * band); y < g.y0() + top; y++) {
            int x = g.x0();
            while (x <= g.x1()) {
                if (!mine[c.labels()[y * w + x]] || binary.get(x, y) <= 0) {
                    x++;
                    continue;
                }
                int start = x;
                while (x <= g.x1() && mine[c.labels()[y * w + x]] && binary.get(x, y) > 0) x++;
                if (x - start > longest) for (int i = start; i < x; i++) binary.set(i, y, 0);
            }
        }
        return true;
    }

    /**
     * An underline drawn into the digit at a slant, which no band of rows spans: in a group wider
     * than tall, the lowest ink of each column (its foot) is fitted with a straight line through
     * the columns of the group's outer quarters, where the line reaches out beyond the digit. It is
     * an underline when the feet of at least 80% of the columns lie on that line (within the line's
     * thickness, at least 2 pixels) and none below it, the line slopes by at most 0.2, its thickness (the median
     * height of the ink above the feet of the outer columns) is under a quarter of the group's
     * height, and the ink above it reaches out less far than the line, as for
     * {@link #eraseUnderline}. Each such column loses the line's thickness of ink above its foot,
     * so a stem meeting the line keeps the rest of its height.
     */
    static boolean eraseSlantedUnderline(GreyImage binary, Components c, Segmentation.Group g) {
        if (g.width() <= g.height()) return false;
        boolean narrow = g.width() <= 1.2 * g.height();
        boolean[] mine = new boolean[c.pieces().size() + 1];
        for (Components.Piece p : g.pieces()) mine[p.label()] = true;
        int w = binary.width(), n = g.width();
        int[] foot = new int[n], run = new int[n];
        for (int i = 0; i < n; i++) {
            int x = g.x0() + i;
            foot[i] = -1;
            for (int y = g.y1(); y >= g.y0() && foot[i] < 0; y--) if (ink(binary, c, mine, w, x, y)) foot[i] = y;
            int y = foot[i];
            while (y >= g.y0() && ink(binary, c, mine, w, x, y)) y--;
            run[i] = foot[i] < 0 ? 0 : foot[i] - y;
        }
        // A straight line through the feet of the outer quarters' columns (least squares).
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        int m = 0;
        List<Integer> outerRuns = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if ((i >= n / 4 && i < n - n / 4) || foot[i] < 0) continue;
            sx += i;
            sy += foot[i];
            sxx += (double) i * i;
            sxy += (double) i * foot[i];
            outerRuns.add(run[i]);
            m++;
        }
        if (m < n / 4) return false;
        double det = m * sxx - sx * sx;
        if (det <= 0) return false;
        double slope = (m * sxy - sx * sy) / det, icpt = (sy - slope * sx) / m;
        if (Math.abs(slope) > 0.2) return false;
        java.util.Collections.sort(outerRuns);
        int thick = outerRuns.get(outerRuns.size() / 2);
        if (thick >= g.height() / 4.0) return false;
        double near = Math.max(2, thick);
        int on = 0, lineLeft = Integer.MAX_VALUE, lineRight = -1;
        boolean[] online = new boolean[n];
        for (int i = 0; i < n; i++) {
            // Nothing of the group lies below the line (a "+"'s bar has its stem below it).
            if (foot[i] > icpt + slope * i + near) return false;
            if (foot[i] < 0 || Math.abs(foot[i] - (icpt + slope * i)) > near) continue;
            online[i] = true;
            on++;
            lineLeft = Math.min(lineLeft, i);
            lineRight = Math.max(lineRight, i);
        }
        if (on < 0.8 * n) return false;
        // The ink above the line: where it reaches, left and right.
        int aboveLeft = Integer.MAX_VALUE, aboveRight = -1;
        for (int i = 0; i < n; i++) {
            int top = online[i] ? foot[i] - thick - 1 : g.y1();
            for (int y = g.y0(); y <= top; y++) {
                if (ink(binary, c, mine, w, g.x0() + i, y) && (!online[i] || y < foot[i] - thick)) {
                    aboveLeft = Math.min(aboveLeft, i);
                    aboveRight = Math.max(aboveRight, i);
                    break;
                }
            }
        }
        if (aboveRight < 0 || aboveRight - aboveLeft + 1 >= 0.8 * n) return false;
        if (Math.max(0, aboveLeft - lineLeft) + Math.max(0, lineRight - aboveRight) < 0.25 * n) return false;
        if (narrow && Math.min(aboveLeft - lineLeft, lineRight - aboveRight) < 0.1 * n) return false;
        for (int i = 0; i < n; i++) {
            if (!online[i]) continue;
            for (int y = foot[i]; y >= Math.max(g.y0(), foot[i] - thick); y--) binary.set(g.x0() + i, y, 0);
        }
        return true;
    }

    private static boolean ink(GreyImage binary, Components c, boolean[] mine, int w, int x, int y) {
        return binary.get(x, y) > 0 && mine[c.labels()[y * w + x]];
    }

    /** Sets to 0 every horizontal run of ink longer than {@code longest}; true when there was one. */
    static boolean eraseLongRuns(GreyImage binary, int longest) {
        boolean any = false;
        int w = binary.width();
        for (int y = 0; y < binary.height(); y++) {
            int x = 0;
            while (x < w) {
                if (binary.get(x, y) <= 0) {
                    x++;
                    continue;
                }
                int start = x;
                while (x < w && binary.get(x, y) > 0) x++;
                if (x - start > longest) {
                    for (int i = start; i < x; i++) binary.set(i, y, 0);
                    any = true;
                }
            }
        }
        return any;
    }

    /** The median stroke width of the digits' pieces, weighted by area; 0 when there are none. */
    private static double medianStroke(Pass pass) {
        List<double[]> sw = new ArrayList<>();
        long total = 0;
        for (Segmentation.Group g : pass.found.digits()) {
            for (Components.Piece p : g.pieces()) {
                sw.add(new double[] {p.strokeWidth(), p.area()});
                total += p.area();
            }
        }
        if (sw.isEmpty()) return 0;
        sw.sort((a, b) -> Double.compare(a[0], b[0]));
        double seen = 0;
        for (double[] s : sw) {
            seen += s[1];
            if (seen >= total / 2.0) return s[0];
        }
        return sw.get(sw.size() - 1)[0];
    }

    private static void checkContrast(Background.Ink ink, Options o, boolean forcedAgainstGuess) {
        if (ink.contrast() >= o.minContrast()) return;
        String measured = String.format(Locale.ROOT, "the strongest ink differs from its paper by %.0f%% above the paper's noise, under the %.0f%% floor",
                100 * Math.max(0, ink.contrast()), 100 * o.minContrast());
        if (forcedAgainstGuess) {
            throw new Preprocessing.NoDigitException("no digit found: " + measured + "; --invert " + o.invert().cliName()
                    + " took the " + (ink.inverted() ? "dark" : "light") + " part for the paper, which made the ink background; try --invert auto");
        }
        throw new Preprocessing.NoDigitException("no digit found: the image is blank or nearly so (" + measured
                + "); for faint ink lower the floor, e.g. --contrast " + String.format(Locale.ROOT, "%.2f", Math.max(0.01, ink.contrast() * 0.8)), ink.contrast() > 0);
    }

    /**
     * The longer side brought to at most {@link #MAX_WORKING} (area averaging), and a small picture
     * enlarged (bilinear) until its shorter side is {@link #MIN_SHORTER} or its longer side
     * {@link #MIN_LONGER}, whichever needs more, as long as the longer stays within MAX_WORKING: a
     * line of five 28-px digits (140x28) becomes 640x128, a digit's strokes several pixels wide.
     */
    public static GreyImage workingSize(GreyImage img) {
        int longer = img.longerSide(), shorter = Math.min(img.width(), img.height());
        double s;
        if (longer > MAX_WORKING) s = (double) MAX_WORKING / longer;
        else s = Math.min((double) MAX_WORKING / longer, Math.max(1, Math.max((double) MIN_SHORTER / shorter, (double) MIN_LONGER / longer)));
        if (s == 1) return img;
        int w = Math.max(1, (int) Math.round(img.width() * s)), h = Math.max(1, (int) Math.round(img.height() * s));
        return s < 1 ? Resample.areaAverage(img, w, h) : Resample.bilinear(img, w, h);
    }

    private static int odd(int k) {
        return k % 2 == 0 ? k + 1 : k;
    }
}
