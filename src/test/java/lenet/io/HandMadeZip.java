package lenet.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;

/**
 * A one-member zip archive built field by field, so tests can make archives that
 * {@link java.util.zip.ZipOutputStream} refuses to: sizes that lie, odd names, zip bombs.
 */
final class HandMadeZip {
    private HandMadeZip() {
    }

    /**
     * @param method       0 (stored) or 8 (deflated)
     * @param compressed   the member's bytes as stored in the archive
     * @param declaredSize the uncompressed size the archive claims
     */
    static byte[] oneMember(String name, int method, byte[] compressed, long declaredSize, long crc) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer zip = ByteBuffer.allocate(30 + 46 + 2 * nameBytes.length + compressed.length + 22)
                .order(ByteOrder.LITTLE_ENDIAN);
        // Local file header, then the data.
        zip.putInt(0x04034b50).putShort((short) 20).putShort((short) 0).putShort((short) method)
                .putShort((short) 0).putShort((short) 0x21) // 1980-01-01 00:00
                .putInt((int) crc).putInt(compressed.length).putInt((int) declaredSize)
                .putShort((short) nameBytes.length).putShort((short) 0).put(nameBytes).put(compressed);
        // Central directory: the sizes a reader trusts.
        int centralStart = zip.position();
        zip.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) 0).putShort((short) method)
                .putShort((short) 0).putShort((short) 0x21)
                .putInt((int) crc).putInt(compressed.length).putInt((int) declaredSize)
                .putShort((short) nameBytes.length).putShort((short) 0).putShort((short) 0)
                .putShort((short) 0).putShort((short) 0).putInt(0).putInt(0).put(nameBytes);
        int centralSize = zip.position() - centralStart;
        // End of central directory.
        zip.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) 1).putShort((short) 1)
                .putInt(centralSize).putInt(centralStart).putShort((short) 0);
        return zip.array();
    }

    /**
     * A raw deflate stream that inflates to {@code prefix} followed by {@code zeroMiB} MiB of zeros, built
     * without ever holding the zeros: one MiB of zeros deflates to about 1 KB ending on a full flush, so
     * that piece can be repeated as often as wanted.
     */
    static byte[] deflatedZeros(byte[] prefix, int zeroMiB) {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(deflate(prefix, Deflater.FULL_FLUSH));
        byte[] oneMiB = deflate(new byte[1 << 20], Deflater.FULL_FLUSH);
        for (int i = 0; i < zeroMiB; i++) {
            stream.writeBytes(oneMiB);
        }
        stream.writeBytes(deflate(new byte[0], -1)); // the final, empty block
        return stream.toByteArray();
    }

    /** Raw deflate of {@code input} ending with {@code flush}, or finished when {@code flush} is -1. */
    private static byte[] deflate(byte[] input, int flush) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        deflater.setInput(input);
        if (flush < 0) {
            deflater.finish();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        while (true) {
            int n = flush < 0 ? deflater.deflate(buffer) : deflater.deflate(buffer, 0, buffer.length, flush);
            out.write(buffer, 0, n);
            if (flush < 0 ? deflater.finished() : n < buffer.length) {
                break;
            }
        }
        deflater.end();
        return out.toByteArray();
    }
}
