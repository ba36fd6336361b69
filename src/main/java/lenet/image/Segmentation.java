package lenet.image;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * From the pieces of ink on a page to the digits of a line, read left to right: what is not a
 * digit is dropped (specks, the table or the paper's edge along the picture's border, ink blots,
 * underlines and long rules, circles drawn around digits), the pieces of one digit are joined, and
 * digits that touch are cut apart where the ink is thinnest.
 *
 * <p>Every rule is a measurement on the pieces' boxes and areas, chosen on the stand-in test sets
 * (see {@code RealWorldSets}); each dropped or joined piece is reported in words.
 */
public final class Segmentation {
    /** Pieces under this fraction of the largest piece's area are specks. */
    static final double SPECK = 0.02;
    /** A piece with this many pixels on the picture's outermost ring, as a fraction of the shorter side, lies along the edge: the table, the paper's edge. */
    static final double ALONG_EDGE = 0.15;
    /**
     * A piece lying along the picture's edge for this fraction of its own size or more is cut off by
     * the edge (a shadow's corner the background estimate missed, a digit half out of the picture),
     * not a whole digit: a pen stroke that runs out of the picture touches it only by its width.
     */
    static final double CUT_OFF = 0.4;
    /**
     * A piece whose stroke is this thick for its size is a filled blob (an ink blot, a glare spot),
     * not a pen line; so is a roundish one (width 0.6-1.7 times its height) that fills over 55% of
     * its box with a stroke over a quarter of its size (a thick "1" is as filled, but narrow). Only
     * pieces under half the largest one's area are taken for blots: a bold digit alone is not one.
     */
    static final double BLOT = 0.4;
    /** Width over height beyond which a thin piece is a line (an underline, a rule). */
    static final double LINE = 3.5;
    /** A digit wider than this times its height is taken for several touching digits. */
    static final double TOUCHING = 1.25;
    /** A digit is at least this fraction of the picture's shorter side tall (the picture at its working size). */
    static final double SMALLEST = 0.06;
    /** Pieces one above the other further apart than this fraction of the tallest piece's height are not one digit. */
    static final double APART = 0.5;
    /** Groups at least this fraction of the tallest one's height make the line of digits; a smaller group mostly above or below it is not a digit of the line (a shadow's tip, a stray mark). */
    static final double FULL_SIZE = 0.6;
    /** A group lower than this fraction of the tallest group is a dot or a speck, not a digit. */
    static final double LOW = 0.3;

    private Segmentation() {}

    /** One digit: its pieces, their box and how they were found (empty when nothing special). */
    public record Group(List<Components.Piece> pieces, int x0, int y0, int x1, int y1, String note) {
        public int width() {
            return x1 - x0 + 1;
        }

        public int height() {
            return y1 - y0 + 1;
        }

        static Group of(List<Components.Piece> pieces, String note) {
            int x0 = Integer.MAX_VALUE, y0 = Integer.MAX_VALUE, x1 = -1, y1 = -1;
            for (Components.Piece p : pieces) {
                x0 = Math.min(x0, p.x0());
                y0 = Math.min(y0, p.y0());
                x1 = Math.max(x1, p.x1());
                y1 = Math.max(y1, p.y1());
            }
            return new Group(List.copyOf(pieces), x0, y0, x1, y1, note);
        }
    }

    /** The digits found and, in words, what was dropped; {@code specks}: how many pieces were dropped as specks. */
    public record Found(List<Group> digits, List<String> dropped, int specks) {}

    /** The digits among {@code c}'s pieces on a width x height picture, left to right. */
    public static Found digits(Components c, int width, int height) {
        List<String> dropped = new ArrayList<>();
        List<Components.Piece> kept = new ArrayList<>();
        int largest = 0;
        for (Components.Piece p : c.pieces()) largest = Math.max(largest, p.area());
        int shorter = Math.min(width, height);
        int specks = 0;
        for (Components.Piece p : c.pieces()) {
            if (p.area() < SPECK * largest) {
                specks++;
            } else if (p.onBorder() >= ALONG_EDGE * shorter) {
                dropped.add("ink along the picture's edge (" + box(p) + "): the table or the paper's edge");
            } else if (p.onBorder() >= CUT_OFF * Math.max(p.width(), p.height())) {
                dropped.add("ink cut off by the picture's edge (" + box(p) + "): a shadow's corner, or a digit half out of the picture");
            } else if (p.area() > 20 && p.area() < 0.5 * largest && (p.strokeWidth() > BLOT * Math.max(p.width(), p.height())
                    || p.fill() > 0.55 && p.strokeWidth() > 0.25 * Math.max(p.width(), p.height()) && p.width() > 0.6 * p.height() && p.width() < 1.7 * p.height())) {
                dropped.add("a filled blob (" + box(p) + "): an ink blot or a glare spot");
            } else {
                kept.add(p);
            }
        }
        if (specks > 0) dropped.add(specks + " speck" + (specks == 1 ? "" : "s"));
        kept = dropLines(kept, dropped);
        kept = dropCircles(c, kept, dropped);

        // Join the pieces of one digit: pieces that overlap horizontally by half the narrower one
        // and lie close above or below each other (a 5's bar, a 4 written in two strokes), not a
        // shadow's tip far under the line.
        kept.sort(Comparator.comparingInt(Components.Piece::x0));
        List<List<Components.Piece>> groups = new ArrayList<>();
        int tallestPiece = 0;
        for (Components.Piece p : kept) tallestPiece = Math.max(tallestPiece, p.height());
        for (Components.Piece p : kept) {
            List<Components.Piece> joined = null;
            for (List<Components.Piece> g : groups) {
                Group box = Group.of(g, "");
                int overlap = Math.max(0, Math.min(box.x1(), p.x1()) - Math.max(box.x0(), p.x0()) + 1);
                int gap = Math.max(box.y0(), p.y0()) - Math.min(box.y1(), p.y1()) - 1;
                if (overlap >= 0.5 * Math.min(box.width(), p.width()) && gap <= APART * tallestPiece) {
                    joined = g;
                    break;
                }
            }
            if (joined != null) joined.add(p);
            else groups.add(new ArrayList<>(List.of(p)));
        }
        List<Group> digits = new ArrayList<>();
        for (List<Components.Piece> g : groups) digits.add(Group.of(g, g.size() > 1 ? "joined " + g.size() + " pieces" : ""));
        int tallest = 0;
        for (Group g : digits) tallest = Math.max(tallest, g.height());
        // The line: from the top of the highest to the bottom of the lowest full-size group.
        int top = Integer.MAX_VALUE, bottom = -1;
        for (Group g : digits) {
            if (g.height() < FULL_SIZE * tallest) continue;
            top = Math.min(top, g.y0());
            bottom = Math.max(bottom, g.y1());
        }
        List<Group> out = new ArrayList<>();
        int small = 0;
        for (Group g : digits) {
            int inLine = Math.max(0, Math.min(bottom, g.y1()) - Math.max(top, g.y0()) + 1);
            if (g.height() < LOW * tallest) dropped.add("a mark much smaller than the digits (" + g.width() + "x" + g.height() + " px)");
            else if (inLine < 0.5 * g.height()) dropped.add("a mark above or below the line of digits (" + g.width() + "x" + g.height() + " px)");
            else if (g.height() < SMALLEST * shorter) small++;
            else out.add(g);
        }
        if (small > 0) dropped.add(small + " mark" + (small == 1 ? "" : "s") + " under " + Math.round(100 * SMALLEST) + "% of the picture's height: noise, not digits");
        out.sort(Comparator.comparingInt(Group::x0));
        return new Found(out, dropped, specks);
    }

    /**
     * Lines: thin pieces at least {@link #LINE} times wider than tall that lie under the ink they
     * overlap (an underline), or that are wider than any other piece (a rule across the line). A
     * short bar above other ink (the top of a 5 or a 7 written in two strokes) is kept.
     */
    private static List<Components.Piece> dropLines(List<Components.Piece> pieces, List<String> dropped) {
        int widest = 0;
        for (Components.Piece p : pieces) if (!isLine(p)) widest = Math.max(widest, p.width());
        List<Components.Piece> out = new ArrayList<>();
        for (Components.Piece p : pieces) {
            if (!isLine(p)) {
                out.add(p);
                continue;
            }
            boolean under = false;
            for (Components.Piece o : pieces) {
                if (o == p || isLine(o) || p.xOverlap(o) == 0) continue;
                if ((p.y0() + p.y1()) / 2.0 > (o.y0() + o.y1()) / 2.0) under = true;
            }
            if (under || p.width() > 1.5 * widest) dropped.add("a line (" + box(p) + "): an underline or a rule");
            else out.add(p);
        }
        return out;
    }

    private static boolean isLine(Components.Piece p) {
        return p.width() >= LINE * p.height();
    }

    /**
     * Circles: a piece that holds other pieces inside its box and round them ({@link #enclosed}), is at least twice as large (in box
     * area) as all of them together and is mostly empty (a ring, under 35% of its box inked) is a
     * loop drawn around them, when what it holds is digit-sized: at least a third of its height (a
     * "4" or a "0" with a speck inside is a digit, not a circle).
     */
    /**
     * True when {@code o}'s centre has ink of {@code p} on all four sides along its row and its
     * column: it lies inside the loop, not merely inside the loop's box (a stray mark beside a
     * "3"'s open side, within its box, had the "3" dropped as a circle).
     */
    static boolean enclosed(Components c, Components.Piece p, Components.Piece o) {
        int w = c.width(), cx = (o.x0() + o.x1()) / 2, cy = (o.y0() + o.y1()) / 2;
        int[] l = c.labels();
        boolean left = false, right = false, up = false, down = false;
        for (int x = p.x0(); x < cx && !left; x++) left = l[cy * w + x] == p.label();
        for (int x = cx + 1; x <= p.x1() && !right; x++) right = l[cy * w + x] == p.label();
        for (int y = p.y0(); y < cy && !up; y++) up = l[y * w + cx] == p.label();
        for (int y = cy + 1; y <= p.y1() && !down; y++) down = l[y * w + cx] == p.label();
        return left && right && up && down;
    }

    private static List<Components.Piece> dropCircles(Components c, List<Components.Piece> pieces, List<String> dropped) {
        List<Components.Piece> out = new ArrayList<>();
        for (Components.Piece p : pieces) {
            long inside = 0;
            int n = 0, tallest = 0;
            for (Components.Piece o : pieces) {
                if (o != p && p.surrounds(o) && enclosed(c, p, o)) {
                    inside += (long) o.width() * o.height();
                    tallest = Math.max(tallest, o.height());
                    n++;
                }
            }
            if (n > 0 && 3 * tallest >= p.height() && (long) p.width() * p.height() >= 2 * inside && p.fill() < 0.35) {
                dropped.add("a loop around other ink (" + box(p) + "): a circle drawn round a digit");
            } else {
                out.add(p);
            }
        }
        return out;
    }

    private static String box(Components.Piece p) {
        return p.width() + "x" + p.height() + " px at " + p.x0() + "," + p.y0();
    }

    /**
     * Where to cut a group that is too wide for one digit ({@link #TOUCHING} times its height):
     * into {@code n = max(2, round(w / (0.75 h)))} digits (a handwritten digit is about three
     * quarters as wide as it is tall), each cut at the column with the least ink within a quarter of
     * a digit's width of its even position. Columns are relative to the drawing; empty when the
     * group is not too wide.
     */
    public static int[] cuts(GreyImage drawing) {
        int w = drawing.width(), h = drawing.height();
        if (w <= TOUCHING * h) return new int[0];
        int[] column = new int[w];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) if (drawing.get(x, y) > 0) column[x]++;
        int n = (int) Math.max(2, Math.min(8, Math.round(w / (0.75 * h))));
        double each = (double) w / n;
        int[] at = new int[n - 1];
        for (int k = 1; k < n; k++) {
            int centre = (int) Math.round(k * each), reach = (int) Math.round(each / 4);
            int bestX = centre;
            for (int x = Math.max(1, centre - reach); x <= Math.min(w - 2, centre + reach); x++) {
                if (column[x] < column[bestX] || column[x] == column[bestX] && Math.abs(x - centre) < Math.abs(bestX - centre)) bestX = x;
            }
            at[k - 1] = bestX;
        }
        return at;
    }
}
