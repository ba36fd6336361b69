package lenet.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import lenet.image.Page;

/**
 * What {@code predict} read in one file: the digits, left to right, each with its ten
 * probabilities and whether the answer can be trusted; or why the file could not be read.
 *
 * <p>An answer is {@code unsure} when the network hesitates (the most probable digit under
 * {@link #CONFIDENT}, which also means the second best is at least 0.6 behind), when the ink does not have a
 * digit's shape (wider than {@link #WIDEST} times its height), or when the answer is not stable:
 * the same drawing moved by {@link #SHIFT} pixels in any of the four directions (training moved
 * digits by up to 2) or turned by {@link #TURN} degrees gets another digit ({@link #variants}). Letters and scribbles fail one of these far more often
 * than digits do (figures in the README).
 */
public record Reading(Path file, Page.Result page, List<DigitAnswer> digits, String error) {
    /** The most probable digit must have at least this probability. */
    public static final float CONFIDENT = 0.9f;
    /** A single digit is rarely wider than this times its height. */
    public static final double WIDEST = 1.25;
    /** Pixels each shifted copy is moved by. */
    public static final int SHIFT = 2;
    /** Degrees each turned copy is turned by. */
    public static final int TURN = 12;

    /**
     * One digit.
     *
     * @param digit         the most probable digit
     * @param probabilities the ten probabilities of the image as found (not of the shifted copies)
     * @param unsure        why the answer is not to be trusted, in words; null when it is
     */
    public record DigitAnswer(Page.Digit found, int digit, float[] probabilities, String unsure) {
        /** The k most probable digits, most probable first. */
        public int[] top(int k) {
            return Reading.top(probabilities, k);
        }
    }

    public static Reading failed(Path file, String error) {
        return new Reading(file, null, List.of(), error);
    }

    public boolean ok() {
        return error == null;
    }

    /** The digits read, left to right ("" when none). */
    public String text() {
        StringBuilder s = new StringBuilder();
        for (DigitAnswer d : digits) s.append(d.digit());
        return s.toString();
    }

    /** Why the whole answer is not to be trusted (the reasons of its digits, numbered when several), or null. */
    public String unsure() {
        List<String> reasons = new ArrayList<>();
        for (int i = 0; i < digits.size(); i++) {
            String u = digits.get(i).unsure();
            if (u != null) reasons.add(digits.size() == 1 ? u : "digit " + (i + 1) + ": " + u);
        }
        return reasons.isEmpty() ? null : String.join("; ", reasons);
    }

    /**
     * The answer for one digit: its probabilities {@code p} and those of its {@link #variants}.
     */
    static DigitAnswer judge(Page.Digit found, float[] p, List<float[]> shifted) {
        int[] best = top(p, 2);
        int digit = best[0];
        String unsure = null;
        if (found.aspect() > WIDEST) {
            unsure = String.format(Locale.ROOT, "wider than a digit (%.1f times its height): several touching digits, or not a digit", found.aspect());
        } else if (p[digit] < CONFIDENT) {
            unsure = String.format(Locale.ROOT, "low confidence (%s %s, %s %s)", digit, percent(p[digit]), best[1], percent(p[best[1]]));
        } else {
            for (int v = 0; v < shifted.size(); v++) {
                int other = top(shifted.get(v), 1)[0];
                if (other != digit) {
                    unsure = "not stable: " + VARIANTS[v] + " it reads as " + other;
                    break;
                }
            }
        }
        return new DigitAnswer(found, digit, p, unsure);
    }

    /** What each of {@link #variants} did to the digit, in words. */
    static final String[] VARIANTS = {"moved right by " + SHIFT + " pixels", "moved left by " + SHIFT + " pixels",
        "moved down by " + SHIFT + " pixels", "moved up by " + SHIFT + " pixels", "turned " + TURN + " degrees clockwise",
        "turned " + TURN + " degrees anticlockwise"};

    /**
     * The copies of a digit that must get the same answer: moved by {@link #SHIFT} pixels four ways
     * and turned by {@link #TURN} degrees both ways about the field's centre. Training moved
     * digits by up to 2 pixels, and handwriting leans by more than 12 degrees; a letter or a
     * scribble that the network squeezes into some digit rarely keeps its answer through all six.
     */
    static List<byte[]> variants(byte[] px) {
        return List.of(shifted(px, SHIFT, 0), shifted(px, -SHIFT, 0), shifted(px, 0, SHIFT), shifted(px, 0, -SHIFT),
                turned(px, TURN), turned(px, -TURN));
    }

    /**
     * The image turned by {@code degrees} (clockwise on the screen, y down) about the field's
     * centre (14, 14): each output pixel centre is turned back and sampled bilinearly.
     */
    static byte[] turned(byte[] px, double degrees) {
        double a = Math.toRadians(degrees), cos = Math.cos(a), sin = Math.sin(a);
        byte[] out = new byte[px.length];
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                double dx = x + 0.5 - 14, dy = y + 0.5 - 14;
                double sx = cos * dx + sin * dy + 14 - 0.5, sy = -sin * dx + cos * dy + 14 - 0.5;
                int x0 = (int) Math.floor(sx), y0 = (int) Math.floor(sy);
                double tx = sx - x0, ty = sy - y0, v = 0;
                for (int j = 0; j <= 1; j++) {
                    for (int i = 0; i <= 1; i++) {
                        int qx = x0 + i, qy = y0 + j;
                        if (qx < 0 || qy < 0 || qx >= 28 || qy >= 28) continue;
                        v += (i == 0 ? 1 - tx : tx) * (j == 0 ? 1 - ty : ty) * (px[qy * 28 + qx] & 0xFF);
                    }
                }
                out[y * 28 + x] = (byte) Math.round(v);
            }
        }
        return out;
    }

    /** The image moved by (dx, dy) whole pixels inside the 28x28 field, paper filling in. */
    static byte[] shifted(byte[] px, int dx, int dy) {
        byte[] out = new byte[px.length];
        for (int y = 0; y < 28; y++) {
            int sy = y - dy;
            if (sy < 0 || sy >= 28) continue;
            for (int x = 0; x < 28; x++) {
                int sx = x - dx;
                if (sx >= 0 && sx < 28) out[y * 28 + x] = px[sy * 28 + sx];
            }
        }
        return out;
    }

    static int[] top(float[] p, int k) {
        Integer[] order = new Integer[p.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        java.util.Arrays.sort(order, (a, b) -> Float.compare(p[b], p[a]));
        int[] out = new int[Math.min(k, order.length)];
        for (int i = 0; i < out.length; i++) out[i] = order[i];
        return out;
    }

    static String percent(float p) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * p);
    }
}
