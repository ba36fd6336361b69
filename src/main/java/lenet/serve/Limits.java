package lenet.serve;

/** The sizes the server takes; larger requests get 413. */
final class Limits {
    /** An uploaded image: 10 MiB, more than a phone camera's JPEG. Its pixels are then limited by predict's own header check (40 megapixels). */
    static final long IMAGE_BODY = 10L << 20;
    /** A JSON request (an explanation, the playground, choosing a model): 256 KiB; the page's largest is a few kilobytes. */
    static final long JSON_BODY = 256L << 10;
    /** Live event streams open at once (each holds a thread). */
    static final int EVENT_STREAMS = 16;

    private Limits() {}

    /** 10 MiB, 256 KiB. */
    static String describe(long bytes) {
        return bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB" : bytes >= 1024 && bytes % 1024 == 0 ? (bytes >> 10) + " KiB" : bytes + " bytes";
    }
}
