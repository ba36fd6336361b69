package lenet.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageOutputStream;
import lenet.LenetException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every format ImageIO reads, damaged files, decompression bombs, and folders. */
class ImageFilesTest {
    @TempDir
    Path tmp;

    private static final int W = 40, H = 30;

    /** The brightness (0-1) of the test picture: a black "L" on white, and a mid-grey square. */
    private static double expected(int x, int y) {
        if ((x >= 8 && x < 14 && y >= 5 && y < 25) || (x >= 8 && x < 30 && y >= 19 && y < 25)) return 0;
        if (x >= 30 && x < 36 && y >= 4 && y < 10) return 0.5;
        return 1;
    }

    /** Paints the test picture into every colour band of {@code r} (samples 0-max), opaque alpha last when asked. */
    private static void paint(WritableRaster r, int bands, int max, boolean alpha) {
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int v = (int) Math.round(expected(x, y) * max);
                for (int b = 0; b < bands; b++) r.setSample(x, y, b, v);
                if (alpha) r.setSample(x, y, bands, max);
            }
        }
    }

    private static BufferedImage component(int colorSpace, boolean alpha, int dataType) {
        ColorSpace cs = ColorSpace.getInstance(colorSpace);
        ComponentColorModel cm = new ComponentColorModel(cs, alpha, false, alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE, dataType);
        BufferedImage img = new BufferedImage(cm, cm.createCompatibleWritableRaster(W, H), false, null);
        int bands = cs.getNumComponents();
        paint(img.getRaster(), bands, dataType == DataBuffer.TYPE_USHORT ? 65535 : 255, alpha);
        return img;
    }

    private static BufferedImage typed(int type) {
        BufferedImage img = new BufferedImage(W, H, type);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int v = (int) Math.round(expected(x, y) * 255);
                img.setRGB(x, y, 0xFF000000 | v << 16 | v << 8 | v);
            }
        }
        return img;
    }

    private Path write(BufferedImage img, String format, String name) throws IOException {
        Path f = tmp.resolve(name);
        assertTrue(ImageIO.write(img, format, f.toFile()), "ImageIO writes " + name);
        return f;
    }

    private static void assertPicture(Path f, double tolerance) {
        GreyImage g = Preprocessing.paper(ImageFiles.read(f));
        assertEquals(W, g.width(), f.toString());
        assertEquals(H, g.height(), f.toString());
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) assertEquals(expected(x, y), g.get(x, y), tolerance, f + " at " + x + "," + y);
        }
    }

    @Test
    void pngGrey8() throws IOException {
        assertPicture(write(component(ColorSpace.CS_GRAY, false, DataBuffer.TYPE_BYTE), "png", "grey8.png"), 1 / 255.0);
    }

    @Test
    void pngGrey16() throws IOException {
        assertPicture(write(component(ColorSpace.CS_GRAY, false, DataBuffer.TYPE_USHORT), "png", "grey16.png"), 1e-4);
    }

    @Test
    void pngGreyWithAlpha() throws IOException {
        assertPicture(write(component(ColorSpace.CS_GRAY, true, DataBuffer.TYPE_BYTE), "png", "grey-alpha.png"), 1 / 255.0);
    }

    @Test
    void pngRgb8() throws IOException {
        assertPicture(write(typed(BufferedImage.TYPE_3BYTE_BGR), "png", "rgb.png"), 1 / 255.0);
    }

    @Test
    void pngRgb16() throws IOException {
        assertPicture(write(component(ColorSpace.CS_sRGB, false, DataBuffer.TYPE_USHORT), "png", "rgb16.png"), 1e-4);
    }

    @Test
    void pngRgba8And16() throws IOException {
        assertPicture(write(typed(BufferedImage.TYPE_INT_ARGB), "png", "rgba.png"), 1 / 255.0);
        assertPicture(write(component(ColorSpace.CS_sRGB, true, DataBuffer.TYPE_USHORT), "png", "rgba16.png"), 1e-4);
    }

    @Test
    void pngPalette() throws IOException {
        byte[] levels = {0, (byte) 128, (byte) 255};
        IndexColorModel cm = new IndexColorModel(8, 3, levels, levels, levels);
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_INDEXED, cm);
        for (int y = 0; y < H; y++) for (int x = 0; x < W; x++) img.getRaster().setSample(x, y, 0, (int) Math.round(expected(x, y) * 2));
        assertPicture(write(img, "png", "palette.png"), 0.5 / 255.0 + 0.5 / 255.0);
    }

    @Test
    void pngOneBit() throws IOException {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_BINARY);
        for (int y = 0; y < H; y++) for (int x = 0; x < W; x++) img.getRaster().setSample(x, y, 0, expected(x, y) > 0 ? 1 : 0);
        GreyImage g = Preprocessing.paper(ImageFiles.read(write(img, "png", "bits.png")));
        assertEquals(0f, g.get(10, 10));
        assertEquals(1f, g.get(0, 0));
        assertEquals(1f, g.get(32, 6)); // the grey square is white in one bit
    }

    @Test
    void jpegColourAndGrey() throws IOException {
        assertPicture(write(typed(BufferedImage.TYPE_3BYTE_BGR), "jpeg", "photo.jpg"), 0.12);
        assertPicture(write(component(ColorSpace.CS_GRAY, false, DataBuffer.TYPE_BYTE), "jpeg", "grey.jpg"), 0.12);
    }

    @Test
    void bmp() throws IOException {
        assertPicture(write(typed(BufferedImage.TYPE_3BYTE_BGR), "bmp", "picture.bmp"), 1 / 255.0);
    }

    @Test
    void gifReadsTheFirstFrame() throws IOException {
        BufferedImage first = typed(BufferedImage.TYPE_BYTE_INDEXED);
        BufferedImage second = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_INDEXED); // all black
        Path f = tmp.resolve("animated.gif");
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(f.toFile())) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (BufferedImage frame : List.of(first, second)) {
                IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(frame), null);
                writer.writeToSequence(new IIOImage(frame, null, meta), null);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        assertEquals(2, frames(f));
        assertPicture(f, 0.03); // the GIF writer's palette has no exact 50% grey
    }

    private static int frames(Path f) throws IOException {
        try (var in = ImageIO.createImageInputStream(f.toFile())) {
            var reader = ImageIO.getImageReaders(in).next();
            reader.setInput(in);
            return reader.getNumImages(true);
        }
    }

    @Test
    void tiff() throws IOException {
        assertPicture(write(typed(BufferedImage.TYPE_3BYTE_BGR), "tiff", "picture.tif"), 1 / 255.0);
    }

    @Test
    void webp() {
        // A lossless WebP of the same picture (src/test/resources/images/README.md says how it was made).
        assertPicture(Path.of("src/test/resources/images/picture.webp"), 1 / 255.0);
    }

    @Test
    void cmykJpegIsReadAsInkOnPaper() throws IOException {
        // Four bands, black (K) only where the "L"'s stem is: what print workflows and some scanners write.
        WritableRaster cmyk = java.awt.image.Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, W, H, 4, null);
        for (int y = 0; y < H; y++) for (int x = 0; x < W; x++) cmyk.setPixel(x, y, new int[] {0, 0, 0, x >= 8 && x < 14 && y >= 5 && y < 25 ? 255 : 0});
        Path f = tmp.resolve("cmyk.jpg");
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(f.toFile())) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(cmyk, null, null), null);
        } finally {
            writer.dispose();
        }
        GreyImage g = Preprocessing.paper(ImageFiles.read(f));
        assertTrue(g.get(10, 15) < 0.4, "stem " + g.get(10, 15)); // full black ink after JPEG's rounding and CMYK to RGB
        assertTrue(g.get(30, 25) > 0.8, "paper " + g.get(30, 25));
    }

    /** Stored pixels with a dark top-left quadrant; with each EXIF orientation, where it must be once upright. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void exifOrientationIsApplied(int orientation) throws IOException {
        BufferedImage img = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 20; y++) for (int x = 0; x < 40; x++) img.setRGB(x, y, x < 10 && y < 10 ? 0 : 0xFFFFFF);
        Path plain = write(img, "jpeg", "plain.jpg");
        Path f = Files.write(tmp.resolve("o" + orientation + ".jpg"), RealWorldSets.withExifOrientation(Files.readAllBytes(plain), orientation));
        ImageFiles.Decoded d = ImageFiles.decode(f, 0);
        BufferedImage r = d.image();
        boolean quarter = orientation >= 5;
        assertEquals(quarter ? 20 : 40, r.getWidth());
        assertEquals(quarter ? 40 : 20, r.getHeight());
        // EXIF: 1 top-left, 2 top-right, 3 bottom-right, 4 bottom-left, 5 top-left, 6 top-right, 7 bottom-right, 8 bottom-left
        int corner = new int[] {0, 0, 1, 3, 2, 0, 1, 3, 2}[orientation];
        int w = r.getWidth(), h = r.getHeight();
        int[][] at = {{2, 2}, {w - 3, 2}, {2, h - 3}, {w - 3, h - 3}};
        for (int c = 0; c < 4; c++) {
            boolean dark = (r.getRGB(at[c][0], at[c][1]) & 0xFF) < 128;
            assertEquals(c == corner, dark, "orientation " + orientation + ", corner " + c);
        }
        assertEquals(orientation == 1, d.orientation().isEmpty(), d.orientation());
    }

    @Test
    void aLargeImageIsDecodedSubsampled() throws IOException {
        BufferedImage big = new BufferedImage(3000, 2000, BufferedImage.TYPE_BYTE_GRAY);
        Path f = write(big, "png", "big.png");
        ImageFiles.Decoded d = ImageFiles.decode(f, 1024);
        assertEquals(2, d.subsampling()); // floor(3000 / 1024)
        assertEquals(1500, d.image().getWidth());
        assertEquals(1000, d.image().getHeight());
        assertEquals(3000, d.width());
        ImageFiles.Decoded small = ImageFiles.decode(write(typed(BufferedImage.TYPE_3BYTE_BGR), "png", "small.png"), 1024);
        assertEquals(1, small.subsampling());
    }

    @Test
    void aNamedPipeIsRefusedAtOnceAndSkippedInAFolder() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("with-pipe"));
        Path pipe = dir.resolve("digit.png");
        assertEquals(0, new ProcessBuilder("mkfifo", pipe.toString()).start().waitFor());
        LenetException e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThrows(LenetException.class, () -> ImageFiles.read(pipe)));
        assertEquals(pipe + ": a named pipe, not a regular file; give an image file", e.getMessage());
        ImageFiles.Listing listing = ImageFiles.list(List.of(dir));
        assertEquals(List.of(dir), listing.files()); // no image left: the folder stands for itself
        assertEquals(List.of(new ImageFiles.Skipped(pipe, "a named pipe, not a regular file")), listing.skipped());
    }

    @Test
    void messagesSayWhatIsWrongInWords() {
        assertEquals("the file ends before the image does: it is cut short", ImageFiles.reason(new java.io.EOFException()));
        assertEquals("its header or data is inconsistent, as in a damaged or cut-short file", ImageFiles.reason(new NegativeArraySizeException("-72")));
        assertEquals("its header or data is inconsistent, as in a damaged or cut-short file", ImageFiles.reason(new ArrayIndexOutOfBoundsException("Index 5 out of bounds for length 3")));
        assertEquals("Invalid width/height", ImageFiles.reason(new javax.imageio.IIOException("Invalid width/height")));
        assertEquals("the file ends before the image does: it is cut short",
                ImageFiles.reason(new javax.imageio.IIOException("Error reading", new java.io.EOFException())));
    }

    // ----- damaged and unsupported files -----

    private void assertDamaged(Path f) {
        LenetException e = assertThrows(LenetException.class, () -> ImageFiles.read(f));
        assertTrue(e.getMessage().startsWith(f + ": unsupported or damaged image"), e.getMessage());
        assertTrue(e.getMessage().endsWith("give a PNG, JPEG, GIF, BMP, TIFF or WebP file"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertFalse(e.getMessage().matches(".*(Exception|Error\\b|java\\.|\\(-?\\d+\\)).*"), "no Java names or bare codes: " + e.getMessage());
    }

    @Test
    void anEmptyFileIsDamaged() throws IOException {
        assertDamaged(Files.write(tmp.resolve("empty.png"), new byte[0]));
    }

    @Test
    void aTextFileIsUnsupported() throws IOException {
        assertDamaged(Files.writeString(tmp.resolve("notes.png"), "seven\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"png", "jpeg", "gif", "bmp"})
    void aTruncatedFileIsDamaged(String format) throws IOException {
        byte[] whole = Files.readAllBytes(write(typed(BufferedImage.TYPE_3BYTE_BGR), format, "whole." + format));
        assertDamaged(Files.write(tmp.resolve("half." + format), Arrays.copyOf(whole, whole.length / 2)));
    }

    @Test
    void aPngWithABrokenChecksumIsDamaged() throws IOException {
        byte[] bytes = Files.readAllBytes(write(typed(BufferedImage.TYPE_3BYTE_BGR), "png", "good.png"));
        bytes[bytes.length / 2] ^= 0x55; // inside the compressed pixel data
        assertDamaged(Files.write(tmp.resolve("flipped.png"), bytes));
    }

    @Test
    void aMissingFileIsOneLineNamingIt() {
        Path f = tmp.resolve("nope.png");
        LenetException e = assertThrows(LenetException.class, () -> ImageFiles.read(f));
        assertEquals(f + ": no such file; check the name", e.getMessage());
    }

    // ----- decompression bombs -----

    /**
     * A valid PNG whose header claims width x height grey pixels, with a tiny IDAT: one deflated row
     * of zeros (decoding it in full would need width * height bytes).
     */
    static byte[] pngClaiming(int width, int height) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(png);
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).order(ByteOrder.BIG_ENDIAN);
        ihdr.putInt(width).putInt(height).put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(z, new Deflater(9))) {
            d.write(new byte[Math.min(width, 1 << 20) + 1]); // filter byte 0 and a row of zeros
        }
        chunk(out, "IDAT", z.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeInt(data.length);
        out.write(t);
        out.write(data);
        out.writeInt((int) crc.getValue());
    }

    @Test
    void aPngClaiming100000x100000PixelsIsRefusedFromItsHeader() throws IOException {
        byte[] bomb = pngClaiming(100_000, 100_000);
        assertTrue(bomb.length < 2000, bomb.length + " bytes");
        Path f = Files.write(tmp.resolve("bomb.png"), bomb);
        // 10^10 pixels: decoding would need 10 GB, far beyond the tests' -Xmx2g, and take minutes.
        LenetException e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThrows(LenetException.class, () -> ImageFiles.read(f)));
        assertEquals(f + ": 100000x100000 pixels (10000.0 megapixels) is more than the 40-megapixel limit; scale the image down first", e.getMessage());
    }

    @Test
    void justOverTheLimitIsRefusedAndItsOwnHeaderIsChecked() throws IOException {
        Path over = Files.write(tmp.resolve("over.png"), pngClaiming(8000, 5001));
        assertTrue(assertThrows(LenetException.class, () -> ImageFiles.read(over)).getMessage().contains("40-megapixel limit"));
        // A header under the limit is decoded: this one's data is far too short, so it is damaged, not refused.
        Path under = Files.write(tmp.resolve("under.png"), pngClaiming(3000, 3000));
        assertDamaged(under);
    }

    @Test
    void aBmpClaimingAHugeSizeIsRefusedWithoutDecoding() throws IOException {
        byte[] bytes = Files.readAllBytes(write(typed(BufferedImage.TYPE_3BYTE_BGR), "bmp", "small.bmp"));
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(18, 50_000).putInt(22, 50_000); // BITMAPINFOHEADER width and height
        Path f = Files.write(tmp.resolve("huge.bmp"), bytes);
        // ImageIO's BMP reader already rejects a header whose size does not match the data.
        String m = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThrows(LenetException.class, () -> ImageFiles.read(f))).getMessage();
        assertTrue(m.contains("megapixel limit") || m.contains("unsupported or damaged image (Invalid width/height"), m);
    }

    // ----- folders -----

    @Test
    void aFolderMeansItsImagesSortedByNameNotItsSubFoldersOrOtherFiles() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("digits"));
        for (String name : new String[] {"b.PNG", "a.jpg", "c.gif", "notes.txt", ".hidden.png", "e.TIFF", "f.webp"}) Files.writeString(dir.resolve(name), "x");
        Files.writeString(Files.createDirectories(dir.resolve("sub")).resolve("d.png"), "x");
        Path single = tmp.resolve("single.bmp");
        assertEquals(List.of(dir.resolve("a.jpg"), dir.resolve("b.PNG"), dir.resolve("c.gif"), dir.resolve("e.TIFF"), dir.resolve("f.webp"), single),
                ImageFiles.expand(List.of(dir, single)));
        List<ImageFiles.Skipped> skipped = ImageFiles.list(List.of(dir)).skipped();
        assertEquals(List.of(dir.resolve(".hidden.png"), dir.resolve("notes.txt"), dir.resolve("sub")), skipped.stream().map(ImageFiles.Skipped::path).toList());
        assertEquals("a hidden file", skipped.get(0).why());
        assertTrue(skipped.get(1).why().startsWith("not an image name (.bmp, .gif, .jpeg, .jpg, .png, .tif, .tiff, .webp)"), skipped.get(1).why());
        assertEquals("a sub-folder (name it to read its images)", skipped.get(2).why());
    }

    @Test
    void aFolderWithoutImagesStandsForItselfAndReadingItSaysSo() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("nothing"));
        assertEquals(List.of(dir), ImageFiles.expand(List.of(dir)));
        String m = assertThrows(LenetException.class, () -> ImageFiles.read(dir)).getMessage();
        assertTrue(m.startsWith(dir + ": a folder with no images"), m);
    }

    @Test
    void aWrittenGreyPngReadsBackByteForByte() {
        byte[] px = new byte[28 * 28];
        for (int i = 0; i < px.length; i++) px[i] = (byte) (i * 7);
        Path f = tmp.resolve("seen.png");
        ImageFiles.writeGreyPng(f, px, 28, 28);
        BufferedImage back = ImageFiles.read(f);
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, back.getType());
        assertTrue(Arrays.equals(px, Preprocessing.greyBytes(back)));
        assertFalse(Files.exists(tmp.resolve(".seen.png.tmp")));
    }
}
