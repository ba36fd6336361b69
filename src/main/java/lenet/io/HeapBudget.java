package lenet.io;

import java.util.Locale;

/**
 * Checks, before a large array is allocated, that the Java heap can hold it, so a file or a flag
 * that asks for too much is refused in one line instead of ending in an {@link OutOfMemoryError}.
 */
public final class HeapBudget {
    /** Room left for everything else when a big array is allocated. */
    static final long SPARE_BYTES = 16L << 20;

    private HeapBudget() {
    }

    /** The bytes the heap can still give now: its maximum (-Xmx) less what is in use. */
    public static long available() {
        Runtime rt = Runtime.getRuntime();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }

    /**
     * Null when {@code bytes} fit in the heap with {@link #SPARE_BYTES} to spare (after a full
     * collection if they did not at first), otherwise the reason, e.g. "needs 784 MB of Java
     * heap, 190 MB of the 256 MB heap are free; give Java more memory (LENET_JAVA_OPTS=-Xmx2g
     * for scripts/lenet, java -Xmx2g otherwise)".
     */
    public static String shortfall(long bytes) {
        if (fits(bytes)) {
            return null;
        }
        System.gc(); // garbage not yet collected counts as used
        if (fits(bytes)) {
            return null;
        }
        long max = Runtime.getRuntime().maxMemory();
        long suggested = Math.max(1, (bytes + (max - available()) + SPARE_BYTES + (1L << 30) - 1) >> 30);
        return String.format(Locale.ROOT, "needs %s of Java heap and %s of the %s heap are free;"
                        + " give Java more memory (LENET_JAVA_OPTS=-Xmx%dg for scripts/lenet, java -Xmx%dg otherwise)",
                megabytes(bytes), megabytes(Math.max(0, available())), megabytes(max), suggested, suggested);
    }

    private static boolean fits(long bytes) {
        return bytes <= available() - SPARE_BYTES;
    }

    /** {@code 784 MB}, rounded up. */
    public static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%,d MB", (bytes + (1 << 20) - 1) >> 20);
    }
}
