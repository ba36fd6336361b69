package lenet.cli;

import java.util.Locale;

/** A 28x28 image drawn with characters, two per pixel so it keeps its shape, beside the ten probabilities. */
final class TerminalPicture {
    /** From background to full ink: ten shades, one per tenth of 0-255. */
    static final String SHADES = " .:-=+*#%@";
    private static final int SIDE = 28;
    private static final int BAR = 20;

    private TerminalPicture() {}

    static String render(byte[] pixels, float[] probabilities) {
        StringBuilder s = new StringBuilder();
        String edge = "+" + "-".repeat(2 * SIDE) + "+";
        s.append(edge).append('\n');
        int firstDigitRow = (SIDE - probabilities.length) / 2;
        for (int y = 0; y < SIDE; y++) {
            s.append('|');
            for (int x = 0; x < SIDE; x++) {
                char c = SHADES.charAt((pixels[y * SIDE + x] & 0xFF) * SHADES.length() / 256);
                s.append(c).append(c);
            }
            s.append('|');
            int d = y - firstDigitRow;
            if (d >= 0 && d < probabilities.length) {
                float p = probabilities[d];
                s.append(String.format(Locale.ROOT, "  %d %6.1f%% ", d, 100 * p)).append("#".repeat(Math.round(p * BAR)));
            }
            s.append('\n');
        }
        return s.append(edge).append('\n').toString();
    }
}
