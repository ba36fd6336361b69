package lenet.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;

/** Colour and transparency to one brightness per pixel: Rec. 601 luma, alpha composited over paper. */
public final class Luma {
    /** On white, a transparent drawing whose visible pixels span less than this (0-1) shows nothing. */
    static final float NOTHING_SHOWS = 0.1f;

    private Luma() {}

    /**
     * Brightness of every pixel, 0 black to 1 white, with transparency composited over white paper.
     *
     * <p>Luminance is Rec. 601 luma on the stored (gamma-encoded sRGB) values,
     * {@code Y' = 0.299 R' + 0.587 G' + 0.114 B'}: what PIL's {@code convert("L")} and JPEG compute,
     * so a blue-pen digit gets the same greys here as in the usual Python pipelines. Samples are
     * scaled by their bit depth ({@code s / (2^bits - 1)}), so 1-, 8- and 16-bit files all land on 0-1;
     * palettes are looked up.
     *
     * <p>A pixel with opacity a over paper of brightness P shows {@code a * Y + (1 - a) * P}
     * (composition is linear, so compositing the luma equals the luma of the composited colour). The
     * paper is white (P = 1), as for a digit drawn on a transparent canvas. One exception: if on
     * white nothing would show (the image's visible pixels are all light, e.g. white chalk drawn on
     * a transparent layer) while the opacity itself varies, the paper is black (P = 0) instead.
     */
    public static GreyImage brightness(BufferedImage image) {
        int w = image.getWidth(), h = image.getHeight();
        float[] luma = new float[Math.multiplyExact(w, h)];
        float[] alpha = image.getColorModel().hasAlpha() ? new float[luma.length] : null;
        readLumaAndAlpha(image, luma, alpha);
        if (alpha == null) return new GreyImage(w, h, luma);
        GreyImage onWhite = composite(w, h, luma, alpha, 1f);
        float alphaRange = range(alpha);
        if (onWhite.max() - onWhite.min() < NOTHING_SHOWS && alphaRange >= 0.5f) return composite(w, h, luma, alpha, 0f);
        return onWhite;
    }

    private static GreyImage composite(int w, int h, float[] luma, float[] alpha, float paper) {
        float[] out = new float[luma.length];
        for (int i = 0; i < out.length; i++) out[i] = alpha[i] * luma[i] + (1 - alpha[i]) * paper;
        return new GreyImage(w, h, out);
    }

    private static float range(float[] a) {
        float lo = a[0], hi = a[0];
        for (float f : a) {
            lo = Math.min(lo, f);
            hi = Math.max(hi, f);
        }
        return hi - lo;
    }

    /** Fills luma (0-1) and, when not null, alpha (0-1, not premultiplied) for every pixel. */
    private static void readLumaAndAlpha(BufferedImage image, float[] luma, float[] alpha) {
        int w = image.getWidth(), h = image.getHeight();
        ColorModel cm = image.getColorModel();
        Raster r = image.getRaster();
        int type = r.getTransferType();
        boolean integerSamples = type == DataBuffer.TYPE_BYTE || type == DataBuffer.TYPE_USHORT || type == DataBuffer.TYPE_INT;
        boolean grey = cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY && cm.getNumColorComponents() == 1;
        boolean srgb = cm.getColorSpace().isCS_sRGB() && cm.getNumColorComponents() == 3;
        if (cm instanceof ComponentColorModel && integerSamples && (grey || srgb)) {
            // The samples as stored: band b of the raster is colour component b (R, G, B or grey), alpha last.
            int bands = cm.getNumComponents();
            double[] scale = new double[bands];
            for (int b = 0; b < bands; b++) scale[b] = 1.0 / ((1L << cm.getComponentSize(b)) - 1);
            int[] px = new int[w * bands];
            for (int y = 0; y < h; y++) {
                r.getPixels(0, y, w, 1, px);
                for (int x = 0; x < w; x++) {
                    int o = x * bands;
                    double a = cm.hasAlpha() ? px[o + bands - 1] * scale[bands - 1] : 1;
                    double y601 = grey ? px[o] * scale[0]
                            : 0.299 * px[o] * scale[0] + 0.587 * px[o + 1] * scale[1] + 0.114 * px[o + 2] * scale[2];
                    if (cm.isAlphaPremultiplied()) y601 = a > 0 ? y601 / a : 0; // stored as a * Y
                    luma[y * w + x] = (float) Math.min(1, y601);
                    if (alpha != null) alpha[y * w + x] = (float) a;
                }
            }
            return;
        }
        // Palettes, packed RGB and other colour spaces: Java converts them to 8-bit sRGB ARGB.
        int[] argb = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, argb, 0, w);
            for (int x = 0; x < w; x++) {
                int c = argb[x];
                double red = (c >> 16 & 0xFF) / 255.0, green = (c >> 8 & 0xFF) / 255.0, blue = (c & 0xFF) / 255.0;
                luma[y * w + x] = (float) (0.299 * red + 0.587 * green + 0.114 * blue);
                if (alpha != null) alpha[y * w + x] = (c >>> 24) / 255f;
            }
        }
    }
}
