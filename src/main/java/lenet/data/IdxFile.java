package lenet.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import lenet.LenetException;
import lenet.io.HeapBudget;
import lenet.io.IoReasons;
import lenet.io.RegularFiles;

/**
 * One IDX file of unsigned bytes, the format MNIST and Fashion-MNIST ship in, read raw or gzipped.
 *
 * <pre>
 *   magic   00 00 08 r            08 = unsigned byte, r = rank (3 for images, 1 for labels)
 *   dims    r big-endian uint32   images: count, rows, cols     labels: count
 *   data    count * rows * cols bytes, row-major, nothing after them
 * </pre>
 *
 * <p>Gzip is recognised by its magic bytes (1f 8b), whatever the file is called. The whole header
 * is checked before the data is allocated: magic, rank, every dimension above zero and within
 * {@link #MAX_COUNT} and {@link #MAX_SIDE}, and the exact length (a raw file's size is compared
 * with the header before reading; gzipped data is read in growing steps, so a header that lies
 * about the size costs no more memory than the data really there). Every problem is a {@link
 * LenetException} whose one-line message names the file, the problem and a fix.
 */
public final class IdxFile {
    /** The most images (or labels) one file may claim; MNIST's training set has 60,000. */
    public static final int MAX_COUNT = 10_000_000;
    /** The most rows, and the most columns, an image may claim; MNIST's are 28x28. */
    public static final int MAX_SIDE = 1024;
    /** The longest byte array a JVM allocates reliably (a few header words below 2^31 - 1). */
    static final long MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    static final String REFETCH = "re-run scripts/fetch-data.sh";
    private static final int UNSIGNED_BYTE = 0x08;
    private static final int GZIP_MAGIC_0 = 0x1f, GZIP_MAGIC_1 = 0x8b;
    private static final int BUFFER = 1 << 16;
    /** Gzipped data starts in a buffer this big and doubles up to the size the header claims. */
    private static final int FIRST_CHUNK = 1 << 20;

    /** What the caller expects, so a mix-up of images and labels is named as such. */
    private enum Kind {
        IMAGES(3, "image", new String[] {"images", "rows per image", "columns per image"},
                "pass the images file (*-images-idx3-ubyte), not the labels file",
                "pass an MNIST-style images file (*-images-idx3-ubyte)"),
        LABELS(1, "label", new String[] {"labels"},
                "pass the labels file (*-labels-idx1-ubyte), not the images file",
                "pass an MNIST-style labels file (*-labels-idx1-ubyte)");

        final int rank;
        final String noun;
        final String[] dimNames;
        final String swappedFix;
        final String wrongFileFix;

        Kind(int rank, String noun, String[] dimNames, String swappedFix, String wrongFileFix) {
            this.rank = rank;
            this.noun = noun;
            this.dimNames = dimNames;
            this.swappedFix = swappedFix;
            this.wrongFileFix = wrongFileFix;
        }

        int magic() {
            return UNSIGNED_BYTE << 8 | rank;
        }

        int headerBytes() {
            return 4 + 4 * rank;
        }
    }

    private final Path path;
    private final int[] dims;
    private final byte[] data;

    private IdxFile(Path path, int[] dims, byte[] data) {
        this.path = path;
        this.dims = dims;
        this.data = data;
    }

    /** Reads a rank-3 file of images: dims are (count, rows, cols). */
    public static IdxFile readImages(Path file) {
        return read(file, Kind.IMAGES);
    }

    /** Reads a rank-1 file of labels: dims are (count). */
    public static IdxFile readLabels(Path file) {
        return read(file, Kind.LABELS);
    }

    /** The file this was read from. */
    public Path path() {
        return path;
    }

    /** The dimensions from the header, count first (a copy). */
    public int[] dims() {
        return dims.clone();
    }

    /** The first dimension: how many images or labels the file holds. */
    public int count() {
        return dims[0];
    }

    /** The data after the header, row-major, raw 0-255 values in Java's signed bytes (not copied). */
    public byte[] data() {
        return data;
    }

    private static IdxFile read(Path file, Kind kind) {
        if (Files.isDirectory(file)) {
            throw fail(file, "is a directory, not an IDX file; " + kind.wrongFileFix);
        }
        if (!Files.exists(file)) {
            throw fail(file, "no such file; run scripts/fetch-data.sh to download MNIST and Fashion-MNIST");
        }
        RegularFiles.require(file, kind.wrongFileFix); // a named pipe would block the read forever
        try (InputStream fileIn = new BufferedInputStream(Files.newInputStream(file), BUFFER)) {
            if (startsWithGzipMagic(fileIn)) {
                return readGzip(file, kind, fileIn);
            }
            return new Reading(file, kind, fileIn, false, Files.size(file)).read();
        } catch (NoSuchFileException e) {
            throw fail(file, "no such file; run scripts/fetch-data.sh to download MNIST and Fashion-MNIST");
        } catch (AccessDeniedException e) {
            throw fail(file, "permission denied; make the file readable (chmod a+r)");
        } catch (IOException e) {
            throw fail(file, "cannot read (" + IoReasons.of(e) + "); check the disk and " + REFETCH);
        }
    }

    private static IdxFile readGzip(Path file, Kind kind, InputStream fileIn) throws IOException {
        try {
            return new Reading(file, kind, new GZIPInputStream(fileIn, BUFFER), true, -1).read();
        } catch (ZipException e) {
            // GZIPInputStream reports bad deflate data and bad checksums this way.
            throw fail(file, "corrupt gzip data (" + IoReasons.of(e) + "); " + REFETCH);
        } catch (EOFException e) {
            // Only the gzip header can end this way here; Reading handles a cut in the data.
            throw fail(file, "truncated: the file ends inside its gzip header; " + REFETCH);
        }
    }

    private static boolean startsWithGzipMagic(InputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == GZIP_MAGIC_0 && b1 == GZIP_MAGIC_1;
    }

    static LenetException fail(Path file, String problemAndFix) {
        return new LenetException(file + ": " + problemAndFix);
    }

    /** One pass over one file; knows how far it got, so a cut-off stream can say where it ended. */
    private static final class Reading {
        private final Path file;
        private final Kind kind;
        private final InputStream in;
        private final boolean gzip;
        private final long fileSize; // raw files only; gzip's decompressed size is unknown upfront
        private long position; // bytes of IDX data (decompressed, for gzip) consumed so far

        Reading(Path file, Kind kind, InputStream in, boolean gzip, long fileSize) {
            this.file = file;
            this.kind = kind;
            this.in = in;
            this.gzip = gzip;
            this.fileSize = fileSize;
        }

        IdxFile read() throws IOException {
            byte[] header = new byte[kind.headerBytes()];
            int got = readUpTo(header, 0, 4);
            if (got < 4) {
                throw truncatedHeader();
            }
            checkMagic(bigEndianInt(header, 0));
            got += readUpTo(header, 4, header.length - 4);
            if (got < header.length) {
                throw truncatedHeader();
            }
            long[] dims = new long[kind.rank];
            for (int i = 0; i < dims.length; i++) {
                dims[i] = Integer.toUnsignedLong(bigEndianInt(header, 4 + 4 * i));
            }
            int dataBytes = checkDims(dims);
            long expected = header.length + (long) dataBytes;

            String claimed = kind == Kind.LABELS ? dims[0] + " labels" : dims[0] + " images of " + dims[1] + "x" + dims[2] + " pixels";
            byte[] data;
            if (gzip) {
                data = readGrowing(dataBytes, expected, claimed);
                checkNothingAfter(expected);
            } else {
                // The size check comes before the allocation: a lying header costs nothing.
                if (fileSize < expected) {
                    throw fail(file, "truncated: expected " + expected + " bytes, file has " + fileSize + "; " + REFETCH);
                }
                if (fileSize > expected) {
                    throw fail(file, "trailing garbage: the header describes " + expected + " bytes, file has "
                            + fileSize + " (" + (fileSize - expected) + " extra); " + REFETCH);
                }
                checkHeap(dataBytes, claimed);
                data = new byte[dataBytes];
                if (readUpTo(data, 0, dataBytes) < dataBytes) {
                    throw fail(file, "truncated while reading: file ends after " + position + " of " + expected
                            + " bytes (did it change?); " + REFETCH);
                }
            }
            int[] intDims = new int[dims.length];
            for (int i = 0; i < dims.length; i++) {
                intDims[i] = (int) dims[i];
            }
            return new IdxFile(file, intDims, data);
        }

        private void checkMagic(int magic) {
            String found = String.format("magic 0x%08x, expected 0x%08x", magic, kind.magic());
            if ((magic >>> 16) != 0) {
                throw fail(file, "not an IDX file (" + found + "); " + kind.wrongFileFix);
            }
            int type = (magic >>> 8) & 0xff;
            if (type != UNSIGNED_BYTE) {
                throw fail(file, String.format("IDX element type 0x%02x (%s), expected 0x08 (unsigned byte)", type, typeName(type))
                        + "; only unsigned-byte IDX files such as MNIST's are supported");
            }
            int rank = magic & 0xff;
            if (rank != kind.rank) {
                boolean swapped = rank == Kind.IMAGES.rank || rank == Kind.LABELS.rank;
                throw fail(file, "not an IDX " + kind.noun + " file (" + found + ", rank " + rank + " instead of "
                        + kind.rank + "); " + (swapped ? kind.swappedFix : kind.wrongFileFix));
            }
        }

        /** Checks each dimension and returns the number of data bytes, which fits one Java array. */
        private int checkDims(long[] dims) {
            for (int i = 0; i < dims.length; i++) {
                if (dims[i] == 0) {
                    throw fail(file, "header says 0 " + kind.dimNames[i] + "; the file is empty or corrupt, " + REFETCH);
                }
            }
            if (dims[0] > MAX_COUNT) {
                throw fail(file, "header claims " + dims[0] + " " + kind.dimNames[0] + ", more than the limit of "
                        + MAX_COUNT + "; the header is corrupt, " + REFETCH);
            }
            if (kind == Kind.LABELS) {
                return (int) dims[0];
            }
            if (dims[1] > MAX_SIDE || dims[2] > MAX_SIDE) {
                throw fail(file, "header claims images of " + dims[1] + "x" + dims[2] + " pixels, more than the limit of "
                        + MAX_SIDE + "x" + MAX_SIDE + "; the header is corrupt, " + REFETCH);
            }
            long bytes = dims[0] * dims[1] * dims[2]; // at most 10^7 * 2^20, no overflow
            if (bytes > MAX_ARRAY_LENGTH) {
                throw fail(file, "header claims " + dims[0] + " images of " + dims[1] + "x" + dims[2] + " pixels = "
                        + bytes + " bytes, more than the " + MAX_ARRAY_LENGTH
                        + " bytes one Java array holds; split the data into smaller files");
            }
            return (int) bytes;
        }

        /**
         * The data must fit in the heap before it is allocated: raw data at once, gzipped data each
         * time its buffer doubles, counting the old buffer and the whole claimed size.
         */
        private void checkHeap(long bytes, String what) {
            String shortfall = HeapBudget.shortfall(bytes);
            if (shortfall != null) {
                throw fail(file, "header claims " + what + ", which " + shortfall + "; or pass a smaller file");
            }
        }

        /** Reads gzipped data into a buffer that doubles as data arrives, up to what the header claims. */
        private byte[] readGrowing(int dataBytes, long expected, String claimed) throws IOException {
            byte[] data = new byte[Math.min(dataBytes, FIRST_CHUNK)];
            int filled = 0;
            while (filled < dataBytes) {
                if (filled == data.length) {
                    // The data is really there so far (a decompression bomb, perhaps): it must fit.
                    checkHeap(dataBytes + (long) data.length, claimed);
                    data = Arrays.copyOf(data, (int) Math.min(dataBytes, 2L * data.length));
                }
                int got = readUpTo(data, filled, data.length - filled);
                if (got < data.length - filled) {
                    throw fail(file, "truncated: the gzip data ends after " + position + " of " + expected
                            + " bytes; " + REFETCH);
                }
                filled += got;
            }
            return data;
        }

        /** Reading on past the data also makes GZIPInputStream check the CRC in its trailer. */
        private void checkNothingAfter(long expected) throws IOException {
            byte[] scratch = new byte[BUFFER];
            long extra = 0;
            try {
                for (int n; (n = in.read(scratch)) >= 0; ) {
                    extra += n;
                }
            } catch (EOFException e) {
                throw fail(file, "truncated: the gzip file ends inside its checksum trailer, after all " + expected
                        + " bytes of data; " + REFETCH);
            }
            if (extra > 0) {
                throw fail(file, "trailing garbage: the header describes " + expected + " bytes, the gzip data has "
                        + (expected + extra) + " (" + extra + " extra); " + REFETCH);
            }
        }

        /**
         * Reads until {@code len} bytes or the end, and returns how many came. A gzip stream cut off
         * mid-block ends with an EOFException instead of -1; both count as the end.
         */
        private int readUpTo(byte[] buf, int off, int len) throws IOException {
            int total = 0;
            try {
                while (total < len) {
                    int n = in.read(buf, off + total, len - total);
                    if (n < 0) {
                        break;
                    }
                    total += n;
                    position += n;
                }
            } catch (EOFException e) {
                if (!gzip) {
                    throw e;
                }
            }
            return total;
        }

        private LenetException truncatedHeader() {
            String needs = kind.headerBytes() + "-byte IDX " + kind.noun + " header";
            if (position == 0 && !gzip) {
                return fail(file, "file is empty; " + REFETCH);
            }
            return fail(file, "truncated: " + (gzip ? "the gzip data ends" : "file ends") + " after " + position
                    + " bytes, inside the " + needs + "; " + REFETCH);
        }
    }

    private static int bigEndianInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    private static String typeName(int type) {
        return switch (type) {
            case 0x09 -> "signed byte";
            case 0x0b -> "short";
            case 0x0c -> "int";
            case 0x0d -> "float";
            case 0x0e -> "double";
            default -> "unknown";
        };
    }
}
