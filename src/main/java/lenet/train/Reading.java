package lenet.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import lenet.image.Page;
import lenet.image.Variants;

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
    public static final float CONFIDENT = Page.CONFIDENT;
    /** A single digit is rarely wider than this times its height. */
    public static final double WIDEST = 1.25;
    /** Pixels each shifted copy is moved by. */
    public static final int SHIFT = Variants.SHIFT;
    /** Degrees each turned copy is turned by. */
    public static final int TURN = Variants.TURN;

    /**
     * One digit.
     *
     * @param digit         the most probable digit
     * @param probabilities the ten probabilities of the image as found (not of the shifted copies)
     * @param unsure        why the answer is not to be trusted, in words; null when it is
     */
    /**
     * @param distance how far the digit's features lie from the nearest class the model learned
     *                 ({@link Familiarity}: Mahalanobis, squared), NaN when not judged
     * @param limit    the distance that 99% of the model's test digits stay under, NaN when not judged
     */
    public record DigitAnswer(Page.Digit found, int digit, float[] probabilities, String unsure, double distance, double limit) {
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
        return judge(found, p, shifted, Double.NaN, Double.NaN);
    }

    /**
     * As {@link #judge(Page.Digit, float[], List)}, and unsure too when the digit's features lie
     * beyond {@code limit} from every class the model learned ({@link Familiarity}; NaN: not known).
     */
    static DigitAnswer judge(Page.Digit found, float[] p, List<float[]> shifted, double distance, double limit) {
        return judge(found, p, shifted, distance, limit, -1, -1);
    }

    /**
     * The fewest and most loops (closed holes) a handwritten or printed digit has: a "0", "6" or
     * "9" may be left open, an "8" has at least one closed, a "2" may have a loop at its foot, a "4"
     * a closed top, a "5" drawn with a marker a closed bowl; a "1", "3" or "7" has none.
     */
    static final int[] FEWEST_LOOPS = {0, 0, 0, 0, 0, 0, 0, 0, 1, 0};
    static final int[] MOST_LOOPS = {2, 0, 2, 1, 1, 1, 2, 1, 3, 2};

    /**
     * As {@link #judge(Page.Digit, float[], List, double, double)}, and unsure too when the ink has
     * fewer or more loops than the digit read can have: an "x" read as an 8 has none, an "R" read as
     * a 1 has one. {@code loops}: the digit's loops as drawn, counted against the most;
     * {@code shutLoops}: its loops once small gaps in the strokes are closed, counted against the
     * fewest (an 8 drawn not quite shut); -1 when not judged.
     */
    static DigitAnswer judge(Page.Digit found, float[] p, List<float[]> shifted, double distance, double limit, int loops, int shutLoops) {
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
            if (unsure == null && distance > limit) {
                unsure = String.format(Locale.ROOT, "unlike the digits the model learned from (distance %.0f from the nearest; 99%% of its test digits are under %.0f): a letter or a sign?",
                        distance, limit);
            }
            if (unsure == null && loops >= 0 && digit < FEWEST_LOOPS.length) {
                boolean few = shutLoops < FEWEST_LOOPS[digit], many = loops > MOST_LOOPS[digit];
                int n = few ? shutLoops : loops;
                if (few || many) {
                    unsure = "the ink has " + (n == 0 ? "no loop" : n == 1 ? "1 loop" : n + " loops") + ", where " + (digit == 8 ? "an " : "a ") + digit + " has "
                            + (few ? "at least " + FEWEST_LOOPS[digit] : MOST_LOOPS[digit] == 0 ? "none" : "at most " + MOST_LOOPS[digit]) + ": a letter or a sign?";
                }
            }
            if (unsure == null && found.cut()) unsure = "cut apart from a neighbour it touches: where the cut runs is a guess";
            if (unsure == null && found.doubt() != null) unsure = found.doubt();
        }
        return new DigitAnswer(found, digit, p, unsure, distance, limit);
    }

    /** What each of {@link #variants} did to the digit, in words. */
    static final String[] VARIANTS = Variants.DESCRIPTIONS;

    /** The copies of a digit that must get the same answer ({@link Variants#of}). */
    static List<byte[]> variants(byte[] px) {
        return Variants.of(px);
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
