package lenet.image;

/**
 * A single-channel image of floats, row-major: pixel (x, y) is {@code v[y * width + x]}.
 *
 * <p>What a value means depends on the preprocessing step that made it: brightness (0 black, 1
 * white) before the polarity step, ink (0 background, 1 full ink, as MNIST) after it. Steps return
 * new images and leave their input alone.
 */
public record GreyImage(int width, int height, float[] v) {
    public GreyImage {
        if (width < 1 || height < 1) throw new IllegalArgumentException("image must be at least 1x1, was " + width + "x" + height);
        if (v.length != (long) width * height) {
            throw new IllegalArgumentException(width + "x" + height + " image needs " + (long) width * height + " values, got " + v.length);
        }
    }

    /** An image of zeros. */
    public static GreyImage zeros(int width, int height) {
        return new GreyImage(width, height, new float[Math.multiplyExact(width, height)]);
    }

    public float get(int x, int y) {
        return v[y * width + x];
    }

    public void set(int x, int y, float value) {
        v[y * width + x] = value;
    }

    /** max(width, height). */
    public int longerSide() {
        return Math.max(width, height);
    }

    /** The {@code w x h} block whose top-left pixel is {@code (x0, y0)}. */
    public GreyImage crop(int x0, int y0, int w, int h) {
        if (x0 < 0 || y0 < 0 || x0 + w > width || y0 + h > height) {
            throw new IllegalArgumentException("crop " + w + "x" + h + " at (" + x0 + "," + y0 + ") outside " + width + "x" + height);
        }
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) System.arraycopy(v, (y0 + y) * width + x0, out, y * w, w);
        return new GreyImage(w, h, out);
    }

    /** This image on a zero canvas, with {@code pad} zero pixels added on every side. */
    public GreyImage padded(int pad) {
        GreyImage out = zeros(width + 2 * pad, height + 2 * pad);
        for (int y = 0; y < height; y++) System.arraycopy(v, y * width, out.v, (y + pad) * out.width + pad, width);
        return out;
    }

    /** The largest value. */
    public float max() {
        float m = v[0];
        for (float f : v) m = Math.max(m, f);
        return m;
    }

    /** The smallest value. */
    public float min() {
        float m = v[0];
        for (float f : v) m = Math.min(m, f);
        return m;
    }
}
