package lenet.model;

/**
 * The one input normalisation: an 8-bit grey pixel (0 background, 255 ink) becomes pixel / 255 as
 * float32, so ink is 1.0 and background 0.0, exactly what PyTorch's {@code ToTensor()} gives; a
 * model's weights then move between lenet and PyTorch unchanged.
 */
public final class Pixels {
    private Pixels() {}

    /** How checkpoints and exported models describe the input they expect. */
    public static final String NORMALIZATION = "pixel / 255: ink 1.0 on background 0.0, 1x28x28, nothing else";

    /** One pixel as the network sees it. */
    public static float scale(byte pixel) {
        return (pixel & 0xFF) / 255f;
    }

    /** {@code n} pixels of {@code src} from {@code from} into {@code dst} from {@code at}, scaled. */
    public static void scale(byte[] src, int from, float[] dst, int at, int n) {
        for (int i = 0; i < n; i++) dst[at + i] = (src[from + i] & 0xFF) / 255f;
    }
}
