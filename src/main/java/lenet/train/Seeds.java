package lenet.train;

/**
 * Independent random streams derived from the one {@code --seed}: initialisation, each epoch's
 * shuffle and each batch's augmentation get their own seed, so any of them can be recreated on its
 * own (a resumed run regenerates epoch 7's order without replaying epochs 1-6).
 */
final class Seeds {
    private Seeds() {}

    static final long INIT = 1, SHUFFLE = 2, AUGMENT = 3;

    /** A well-mixed 64-bit seed for (seed, purpose, a, b), by SplitMix64's finaliser. */
    static long derive(long seed, long purpose, long a, long b) {
        long z = seed;
        for (long part : new long[] {purpose, a, b}) z = mix(z + 0x9E3779B97F4A7C15L * (part + 1));
        return z;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
