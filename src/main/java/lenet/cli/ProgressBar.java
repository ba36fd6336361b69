package lenet.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * One status line on a terminal, redrawn in place with a carriage return at most ten times a
 * second, and wiped before anything else is printed. Made only when stderr is a terminal, so logs
 * never see it.
 *
 * <pre>
 *   epoch 3/15 [=========>        ] 23,040/60,000  6,123 img/s loss 0.3210 acc  89.12% 0:06 left
 * </pre>
 */
final class ProgressBar {
    static final long MIN_INTERVAL_NANOS = 100_000_000L; // 10 redraws a second at most
    static final int MAX_BAR = 30;

    private final PrintWriter err;
    private final int columns;
    private final LongSupplier nanoTime;
    private long lastDraw;
    private boolean drawnOnce;
    private int drawnLength;

    /** @param columns the terminal's width; lines are kept shorter so they never wrap */
    ProgressBar(PrintWriter err, int columns, LongSupplier nanoTime) {
        this.err = err;
        this.columns = columns;
        this.nanoTime = nanoTime;
    }

    /** Redraws the line unless it was drawn less than 0.1 s ago; the last update ({@code done == total}) is always drawn. */
    void update(String label, long done, long total, String tail) {
        long now = nanoTime.getAsLong();
        if (drawnOnce && done < total && now - lastDraw < MIN_INTERVAL_NANOS) return;
        String line = render(label, done, total, tail, columns);
        // Pad with spaces over what a longer previous line left.
        err.print('\r' + line + " ".repeat(Math.max(0, drawnLength - line.length())));
        err.flush();
        drawnLength = line.length();
        lastDraw = now;
        drawnOnce = true;
    }

    /** Wipes the line, leaving the cursor at its start, so the next output starts clean. */
    void clear() {
        if (drawnLength > 0) {
            err.print('\r' + " ".repeat(drawnLength) + '\r');
            err.flush();
        }
        drawnLength = 0;
        drawnOnce = false;
    }

    /**
     * {@code label [=====>     ] tail}, at most {@code columns - 1} characters: the bar takes what
     * room is left (up to 30), and is left out when fewer than 5 characters remain.
     */
    static String render(String label, long done, long total, String tail, int columns) {
        int room = columns - 1 - label.length() - tail.length() - 4;
        String line;
        if (room >= 5) {
            int width = Math.min(MAX_BAR, room);
            int filled = total <= 0 ? 0 : (int) Math.min(width, width * done / total);
            StringBuilder bar = new StringBuilder(width);
            for (int i = 0; i < width; i++) bar.append(i < filled ? '=' : i == filled && done < total ? '>' : ' ');
            line = label + " [" + bar + "] " + tail;
        } else {
            line = label + " " + tail;
        }
        return line.length() > columns - 1 ? line.substring(0, Math.max(0, columns - 1)) : line;
    }

    /** "2,944/60,000" with the count padded to the total's width, so the line keeps its length as it grows. */
    static String count(long done, long total) {
        String all = String.format(Locale.ROOT, "%,d", total);
        return String.format(Locale.ROOT, "%" + all.length() + "s/%s", String.format(Locale.ROOT, "%,d", done), all);
    }

    /** Images a second, six wide ("  812", "12,345"), "?" when unknown. */
    static String rate(double perSecond) {
        return Double.isFinite(perSecond) ? String.format(Locale.ROOT, "%,6.0f", perSecond) : "     ?";
    }

    /** A duration as m:ss or h:mm:ss. */
    static String duration(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) return "?";
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
