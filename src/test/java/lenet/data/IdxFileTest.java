package lenet.data;

import static lenet.data.IdxBytes.IMAGES_MAGIC;
import static lenet.data.IdxBytes.LABELS_MAGIC;
import static lenet.data.IdxBytes.concat;
import static lenet.data.IdxBytes.failureOf;
import static lenet.data.IdxBytes.gzip;
import static lenet.data.IdxBytes.header;
import static lenet.data.IdxBytes.imagesFile;
import static lenet.data.IdxBytes.labelsFile;
import static lenet.data.IdxBytes.pixels;
import static lenet.data.IdxBytes.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFileTest {
    @TempDir
    Path dir;

    // ---- files that read ----

    @Test
    void rawImagesReadRowMajorWithTheirDims() {
        Path file = write(dir, "images-idx3-ubyte", imagesFile(2, 3, 4));

        IdxFile idx = IdxFile.readImages(file);

        assertArrayEquals(new int[] {2, 3, 4}, idx.dims());
        assertEquals(2, idx.count());
        assertArrayEquals(pixels(2, 3, 4), idx.data());
        assertEquals(file, idx.path());
    }

    @Test
    void gzippedImagesReadTheSameAsRaw() {
        Path file = write(dir, "images-idx3-ubyte.gz", gzip(imagesFile(2, 3, 4)));

        IdxFile idx = IdxFile.readImages(file);

        assertArrayEquals(new int[] {2, 3, 4}, idx.dims());
        assertArrayEquals(pixels(2, 3, 4), idx.data());
    }

    @Test
    void gzipIsRecognisedByItsMagicBytesNotItsName() {
        Path file = write(dir, "no-extension", gzip(imagesFile(1, 2, 2)));

        assertArrayEquals(pixels(1, 2, 2), IdxFile.readImages(file).data());
    }

    @Test
    void gzippedDataBiggerThanTheFirstBufferIsReadWhole() {
        // 3 * 1024 * 512 = 1.5 MiB, more than the 1 MiB the gzip reader starts with.
        Path file = write(dir, "big.gz", gzip(imagesFile(3, 1024, 512)));

        assertArrayEquals(pixels(3, 1024, 512), IdxFile.readImages(file).data());
    }

    @Test
    void rawAndGzippedLabelsRead() {
        Path raw = write(dir, "labels-idx1-ubyte", labelsFile(7, 2, 1, 0));
        Path gz = write(dir, "labels-idx1-ubyte.gz", gzip(labelsFile(7, 2, 1, 0)));

        for (Path file : new Path[] {raw, gz}) {
            IdxFile idx = IdxFile.readLabels(file);
            assertArrayEquals(new int[] {4}, idx.dims());
            assertArrayEquals(new byte[] {7, 2, 1, 0}, idx.data());
        }
    }

    // ---- headers that lie or are not IDX ----

    @Test
    void wrongMagicIsNotAnIdxFile() {
        Path file = write(dir, "picture.png", concat(header(0x89504e47, 0x0d0a1a0a, 0, 0), new byte[8]));

        failureOf(file, () -> IdxFile.readImages(file),
                "not an IDX file", "magic 0x89504e47, expected 0x00000803", "*-images-idx3-ubyte");
    }

    @Test
    void labelsFileGivenForImagesSaysWhichFileToPass() {
        Path file = write(dir, "train-labels-idx1-ubyte", labelsFile(1, 2, 3));

        failureOf(file, () -> IdxFile.readImages(file),
                "not an IDX image file", "magic 0x00000801, expected 0x00000803", "pass the images file");
    }

    @Test
    void imagesFileGivenForLabelsSaysWhichFileToPass() {
        Path file = write(dir, "train-images-idx3-ubyte", imagesFile(1, 2, 2));

        failureOf(file, () -> IdxFile.readLabels(file),
                "not an IDX label file", "magic 0x00000803, expected 0x00000801", "pass the labels file");
    }

    @Test
    void wrongTypeByteNamesTheType() {
        Path file = write(dir, "floats-idx3", concat(header(0x00000d03, 1, 2, 2), new byte[16]));

        failureOf(file, () -> IdxFile.readImages(file), "element type 0x0d (float), expected 0x08 (unsigned byte)");
    }

    @Test
    void wrongRankIsNamed() {
        Path file = write(dir, "matrix-idx2", concat(header(0x00000802, 2, 2), new byte[4]));

        failureOf(file, () -> IdxFile.readImages(file), "not an IDX image file", "rank 2 instead of 3");
    }

    @Test
    void zeroCountIsRejected() {
        Path file = write(dir, "empty-idx3", header(IMAGES_MAGIC, 0, 28, 28));

        failureOf(file, () -> IdxFile.readImages(file), "header says 0 images");
    }

    @Test
    void zeroColumnsAreRejected() {
        Path file = write(dir, "flat-idx3", header(IMAGES_MAGIC, 5, 28, 0));

        failureOf(file, () -> IdxFile.readImages(file), "header says 0 columns per image");
    }

    @Test
    void countOf2To32Minus1FailsOnTheHeaderAlone() {
        // Read naively, 2^32 - 1 images of 28x28 would ask for 3.4 TB.
        byte[] lie = header(IMAGES_MAGIC, -1, 28, 28);
        Path raw = write(dir, "huge-idx3", lie);
        Path gz = write(dir, "huge-idx3.gz", gzip(lie));

        failureOf(raw, () -> IdxFile.readImages(raw), "header claims 4294967295 images", "limit of 10000000");
        failureOf(gz, () -> IdxFile.readImages(gz), "header claims 4294967295 images", "limit of 10000000");
    }

    @Test
    void labelCountOf2To32Minus1FailsOnTheHeaderAlone() {
        Path file = write(dir, "huge-idx1", header(LABELS_MAGIC, -1));

        failureOf(file, () -> IdxFile.readLabels(file), "header claims 4294967295 labels");
    }

    @Test
    void dimensionsInTheBillionsAreRejected() {
        Path file = write(dir, "tall-idx3", header(IMAGES_MAGIC, 10, 2_000_000_000, 28));

        failureOf(file, () -> IdxFile.readImages(file), "images of 2000000000x28 pixels", "limit of 1024x1024");
    }

    @Test
    void dimensionsWithinLimitsButTooManyBytesForOneArray() {
        Path file = write(dir, "big-idx3", header(IMAGES_MAGIC, 10_000_000, 1024, 1024));

        failureOf(file, () -> IdxFile.readImages(file), "10485760000000 bytes", "bytes one Java array holds");
    }

    @Test
    void rawFileClaimingTwoGigabytesFailsOnItsSizeBeforeAllocating() {
        // 2,000,000 x 32 x 32 fits a Java array but not the test JVM's 2 GB heap.
        Path file = write(dir, "liar-idx3", concat(header(IMAGES_MAGIC, 2_000_000, 32, 32), new byte[100]));

        failureOf(file, () -> IdxFile.readImages(file), "truncated: expected 2048000016 bytes, file has 116");
    }

    @Test
    void gzipClaimingTwoGigabytesIsReadOnlyAsFarAsItsData() {
        Path file = write(dir, "liar-idx3.gz", gzip(concat(header(IMAGES_MAGIC, 2_000_000, 32, 32), new byte[100])));

        failureOf(file, () -> IdxFile.readImages(file), "truncated: the gzip data ends after 116 of 2048000016 bytes");
    }

    // ---- files cut short or too long ----

    @Test
    void emptyFileSaysSo() {
        Path file = write(dir, "empty", new byte[0]);

        failureOf(file, () -> IdxFile.readImages(file), "file is empty", "scripts/fetch-data.sh");
    }

    @Test
    void headerCutShortSaysWhere() {
        Path file = write(dir, "cut-header-idx3", Arrays.copyOf(imagesFile(2, 3, 4), 10));

        failureOf(file, () -> IdxFile.readImages(file), "file ends after 10 bytes, inside the 16-byte IDX image header");
    }

    @Test
    void truncatedRawFileComparesSizes() {
        byte[] whole = imagesFile(2, 3, 4);
        Path file = write(dir, "cut-idx3", Arrays.copyOf(whole, whole.length - 5));

        failureOf(file, () -> IdxFile.readImages(file), "truncated: expected 40 bytes, file has 35", "scripts/fetch-data.sh");
    }

    @Test
    void gzipOfTooLittleDataSaysHowFarItGot() {
        byte[] whole = imagesFile(2, 3, 4);
        Path file = write(dir, "short-idx3.gz", gzip(Arrays.copyOf(whole, 30)));

        failureOf(file, () -> IdxFile.readImages(file), "truncated: the gzip data ends after 30 of 40 bytes");
    }

    @Test
    void gzipFileCutMidStreamIsTruncationNotAStackTrace() {
        byte[] whole = gzip(imagesFile(4, 64, 64)); // half the gzip file stops inside the deflate stream
        Path file = write(dir, "cut-idx3.gz", Arrays.copyOf(whole, whole.length / 2));

        failureOf(file, () -> IdxFile.readImages(file), "truncated: the gzip data ends after", " of 16400 bytes");
    }

    @Test
    void gzipFileCutInsideItsTrailer() {
        byte[] whole = gzip(imagesFile(2, 3, 4));
        Path file = write(dir, "no-trailer-idx3.gz", Arrays.copyOf(whole, whole.length - 3));

        failureOf(file, () -> IdxFile.readImages(file), "truncated: the gzip file ends inside its checksum trailer");
    }

    @Test
    void trailingGarbageAfterRawData() {
        Path file = write(dir, "long-idx3", concat(imagesFile(2, 3, 4), new byte[] {1, 2, 3}));

        failureOf(file, () -> IdxFile.readImages(file), "trailing garbage", "describes 40 bytes, file has 43 (3 extra)");
    }

    @Test
    void trailingGarbageInsideGzip() {
        Path file = write(dir, "long-idx3.gz", gzip(concat(imagesFile(2, 3, 4), new byte[] {1, 2, 3})));

        failureOf(file, () -> IdxFile.readImages(file), "trailing garbage", "the gzip data has 43 (3 extra)");
    }

    // ---- gzip damage ----

    @Test
    void corruptDeflateDataIsACleanMessage() {
        byte[] gz = gzip(imagesFile(2, 3, 4));
        gz[10] = (byte) 0xff; // the first deflate block header: block type 3 does not exist
        Path file = write(dir, "corrupt-idx3.gz", gz);

        String message = failureOf(file, () -> IdxFile.readImages(file), "corrupt gzip data (invalid block type)");
        assertEquals(-1, message.indexOf("Exception"), message);
    }

    @Test
    void wrongGzipChecksumIsCorruption() {
        byte[] gz = gzip(imagesFile(2, 3, 4));
        gz[gz.length - 8] ^= 1; // the CRC-32 of the data, first of the trailer's 8 bytes
        Path file = write(dir, "bad-crc-idx3.gz", gz);

        failureOf(file, () -> IdxFile.readImages(file), "corrupt gzip data");
    }

    @Test
    void gzipFileCutInsideItsGzipHeader() {
        Path file = write(dir, "magic-only.gz", new byte[] {0x1f, (byte) 0x8b, 8});

        failureOf(file, () -> IdxFile.readImages(file), "ends inside its gzip header");
    }

    // ---- not a file at all ----

    @Test
    void missingFileSuggestsTheFetchScript() {
        Path file = dir.resolve("train-images-idx3-ubyte");

        failureOf(file, () -> IdxFile.readImages(file), "no such file", "run scripts/fetch-data.sh");
    }

    @Test
    void directoryGivenAsFile() throws Exception {
        Path file = Files.createDirectory(dir.resolve("mnist"));

        failureOf(file, () -> IdxFile.readImages(file), "is a directory, not an IDX file");
    }
}
