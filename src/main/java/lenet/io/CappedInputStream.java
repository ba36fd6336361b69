package lenet.io;

import java.io.IOException;
import java.io.InputStream;

import lenet.LenetException;

/**
 * Passes through at most the number of bytes a zip entry declares and fails as soon as the entry
 * holds more, so a small deflated member cannot expand into gigabytes (a "zip bomb").
 */
final class CappedInputStream extends InputStream {
    private final InputStream in;
    private final long declared;
    private final String what;
    private long remaining;

    CappedInputStream(InputStream in, long declared, String what) {
        this.in = in;
        this.declared = declared;
        this.what = what;
        this.remaining = declared;
    }

    @Override
    public int read() throws IOException {
        if (remaining == 0) {
            return endOrFail();
        }
        int b = in.read();
        if (b >= 0) {
            remaining--;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (remaining == 0) {
            return endOrFail();
        }
        int n = in.read(buffer, offset, (int) Math.min(length, remaining));
        if (n > 0) {
            remaining -= n;
        }
        return n;
    }

    private int endOrFail() throws IOException {
        if (in.read() < 0) {
            return -1;
        }
        throw new LenetException(what + ": holds more than the " + declared + " bytes its zip entry declares"
                + " (a damaged file or a zip bomb); refusing to read on, use a checkpoint you trust");
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
