package lenet.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Seeded byte-level mutations, the kinds that find bugs in file readers: flipped bits, bytes and
 * 32-bit words set to boundary values (big- and little-endian, so header counts and zip fields
 * get 0, -1, 2^31-1 ...), cuts, deletions, insertions, duplicated and spliced chunks. The same
 * seed always gives the same mutant, so every finding can be made again from (target, case).
 */
final class Mutator {
    private static final byte[] BYTES = {0, 1, 0x7f, (byte) 0x80, (byte) 0xff, (byte) 0xfe, '0', '9', '{', '"', ',', ':', '\n'};
    private static final int[] INTS = {0, 1, -1, 2, 28, 255, 256, 0x7fff, 0xffff, 0x10000, 1 << 20, 100_000, 1_000_000,
        Integer.MAX_VALUE, Integer.MIN_VALUE, 0x803, 0x801, 0x04034b50};

    private Mutator() {}

    /** 1 to 4 mutations of {@code seed}. */
    static byte[] mutate(byte[] seed, Random rng) {
        byte[] b = seed.clone();
        int n = 1 + rng.nextInt(4);
        for (int i = 0; i < n; i++) b = once(b, rng);
        return b;
    }

    private static byte[] once(byte[] b, Random rng) {
        if (b.length == 0) return new byte[] {BYTES[rng.nextInt(BYTES.length)]};
        // Headers are where readers decide what to allocate: aim there half of the time.
        int at = rng.nextBoolean() ? rng.nextInt(Math.min(b.length, 64)) : rng.nextInt(b.length);
        switch (rng.nextInt(10)) {
            case 0, 1 -> {
                for (int k = 1 + rng.nextInt(8); k > 0; k--) {
                    int p = rng.nextBoolean() ? at : rng.nextInt(b.length);
                    b[p] ^= (byte) (1 << rng.nextInt(8));
                }
            }
            case 2 -> b[at] = BYTES[rng.nextInt(BYTES.length)];
            case 3, 4 -> {
                int v = INTS[rng.nextInt(INTS.length)];
                if (rng.nextInt(4) == 0) v += rng.nextInt(5) - 2;
                int p = Math.min(at, Math.max(0, b.length - 4));
                boolean big = rng.nextBoolean();
                for (int k = 0; k < 4 && p + k < b.length; k++) {
                    int shift = big ? 24 - 8 * k : 8 * k;
                    b[p + k] = (byte) (v >>> shift);
                }
            }
            case 5 -> b = Arrays.copyOf(b, rng.nextInt(b.length)); // cut
            case 6 -> { // delete a chunk
                int len = 1 + rng.nextInt(Math.min(b.length - at, 256));
                byte[] out = new byte[b.length - len];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(b, at + len, out, at, b.length - at - len);
                b = out;
            }
            case 7 -> { // insert random bytes
                byte[] ins = new byte[1 + rng.nextInt(64)];
                rng.nextBytes(ins);
                b = insert(b, at, ins);
            }
            case 8 -> { // duplicate a chunk
                int from = rng.nextInt(b.length);
                int len = 1 + rng.nextInt(Math.min(b.length - from, 512));
                b = insert(b, at, Arrays.copyOfRange(b, from, from + len));
            }
            default -> { // splice: copy a chunk over another place
                int from = rng.nextInt(b.length);
                int len = Math.min(1 + rng.nextInt(64), Math.min(b.length - from, b.length - at));
                System.arraycopy(b.clone(), from, b, at, len);
            }
        }
        return b;
    }

    private static byte[] insert(byte[] b, int at, byte[] ins) {
        byte[] out = new byte[b.length + ins.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(ins, 0, out, at, ins.length);
        System.arraycopy(b, at, out, at + ins.length, b.length - at);
        return out;
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
