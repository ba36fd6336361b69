package lenet.image;

import java.util.List;

/**
 * Copies of a 28x28 digit moved and turned a little: the reading of a digit must not change when
 * it is moved by {@link #SHIFT} pixels any of four ways or turned by {@link #TURN} degrees either
 * way about the field's centre. Training moved digits by up to 2 pixels, and handwriting leans by
 * more than 12 degrees; a letter or a scribble that the network squeezes into some digit, or half
 * a digit cut off its neighbour, rarely keeps its answer through all six.
 */
public final class Variants {
    /** Pixels each shifted copy is moved by. */
    public static final int SHIFT = 2;
    /** Degrees each turned copy is turned by. */
    public static final int TURN = 12;
    /** What each copy of {@link #of} did to the digit, in words, in its order. */
    public static final String[] DESCRIPTIONS = {"moved right by " + SHIFT + " pixels", "moved left by " + SHIFT + " pixels",
        "moved down by " + SHIFT + " pixels", "moved up by " + SHIFT + " pixels", "turned " + TURN + " degrees clockwise",
        "turned " + TURN + " degrees anticlockwise"};

    private static final int SIDE = Preprocessing.SIDE;

    private Variants() {}

    /** The six copies of a 28x28 digit, in the order of {@link #DESCRIPTIONS}. */
    public static List<byte[]> of(byte[] px) {
        return List.of(shifted(px, SHIFT, 0), shifted(px, -SHIFT, 0), shifted(px, 0, SHIFT), shifted(px, 0, -SHIFT),
                turned(px, TURN), turned(px, -TURN));
    }

    /**
     * The image turned by {@code degrees} (clockwise on the screen, y down) about the field's
     * centre (14, 14): each output pixel centre is turned back and sampled bilinearly.
     */
    public static byte[] turned(byte[] px, double degrees) {
        double a = Math.toRadians(degrees), cos = Math.cos(a), sin = Math.sin(a);
        double c = SIDE / 2.0;
        byte[] out = new byte[px.length];
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                double dx = x + 0.5 - c, dy = y + 0.5 - c;
                double sx = cos * dx + sin * dy + c - 0.5, sy = -sin * dx + cos * dy + c - 0.5;
                int x0 = (int) Math.floor(sx), y0 = (int) Math.floor(sy);
                double tx = sx - x0, ty = sy - y0, v = 0;
                for (int j = 0; j <= 1; j++) {
                    for (int i = 0; i <= 1; i++) {
                        int qx = x0 + i, qy = y0 + j;
                        if (qx < 0 || qy < 0 || qx >= SIDE || qy >= SIDE) continue;
                        v += (i == 0 ? 1 - tx : tx) * (j == 0 ? 1 - ty : ty) * (px[qy * SIDE + qx] & 0xFF);
                    }
                }
                out[y * SIDE + x] = (byte) Math.round(v);
            }
        }
        return out;
    }

    /** The image moved by (dx, dy) whole pixels inside the 28x28 field, paper filling in. */
    public static byte[] shifted(byte[] px, int dx, int dy) {
        byte[] out = new byte[px.length];
        for (int y = 0; y < SIDE; y++) {
            int sy = y - dy;
            if (sy < 0 || sy >= SIDE) continue;
            for (int x = 0; x < SIDE; x++) {
                int sx = x - dx;
                if (sx >= 0 && sx < SIDE) out[y * SIDE + x] = px[sy * SIDE + sx];
            }
        }
        return out;
    }
}
