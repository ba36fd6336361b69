package lenet.image;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import lenet.LenetException;
import lenet.io.AtomicFiles;
import org.w3c.dom.Node;

/**
 * Reading untrusted image files with ImageIO (PNG of every colour type and bit depth, JPEG
 * including CMYK and YCCK, GIF's first frame, BMP, TIFF and WebP: the last ones and CMYK JPEG
 * through the TwelveMonkeys plugins), and writing 28x28 grey PNGs.
 *
 * <p>Only regular files are opened (a named pipe would block, a device never end). The dimensions
 * are read from the file's header before any pixel is decoded, and an image of more than
 * {@link #MAX_PIXELS} pixels is refused: a few kilobytes of PNG can claim 100000x100000 pixels (a
 * "decompression bomb"), which decoded would need 40 GB. A large photo is decoded small: ImageIO's
 * source subsampling reads every s-th pixel of every s-th row, so a 12-megapixel photo never exists
 * in memory at full size. A JPEG's EXIF orientation (a phone held sideways) is applied. Every
 * problem is a {@link LenetException} whose one-line message names the file, says what is wrong in
 * words and how to fix it.
 */
public final class ImageFiles {
    /** The most pixels an image may have: 40 megapixels, more than any phone camera's photo. */
    public static final long MAX_PIXELS = 40_000_000L;

    /** The file name endings a folder's images are recognised by (any case). */
    public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "gif", "bmp", "tif", "tiff", "webp");

    private static final String FIX = "give a PNG, JPEG, GIF, BMP, TIFF or WebP file";

    private ImageFiles() {}

    /**
     * A decoded image and how it was read.
     *
     * @param image        the pixels, upright (EXIF orientation applied)
     * @param width        the width the file's header gives (before subsampling and orientation)
     * @param height       the height the file's header gives
     * @param subsampling  s: every s-th pixel of every s-th row was decoded (1: all of them)
     * @param orientation  what was done to turn the image upright ("" when nothing), e.g. "turned 90 degrees clockwise"
     */
    public record Decoded(BufferedImage image, int width, int height, int subsampling, String orientation) {}

    /** The first image in {@code file}, decoded at full size and upright; see {@link #decode}. */
    public static BufferedImage read(Path file) {
        return decode(file, 0).image();
    }

    /**
     * The first image in {@code file}, after its header has been checked against
     * {@link #MAX_PIXELS}. With {@code longerSideNeeded > 0}, an image whose longer side is
     * {@code L} is decoded with source subsampling {@code s = max(1, floor(L / longerSideNeeded))}:
     * the result's longer side is {@code ceil(L / s) >= longerSideNeeded}, less than twice it. Decoder
     * warnings (a JPEG that ends early, for one) count as damage: the pixels would be partly made up.
     */
    public static Decoded decode(Path file, int longerSideNeeded) {
        if (Files.isDirectory(file)) {
            throw new LenetException(file + ": a folder with no images (." + String.join(", .", sortedExtensions())
                    + "); put images in it or name image files");
        }
        if (!Files.exists(file)) throw new LenetException(file + ": no such file; check the name");
        String kind = FileKind.notRegular(file);
        if (kind != null) throw new LenetException(file + ": " + kind + ", not a regular file; give an image file");
        if (!Files.isReadable(file)) throw new LenetException(file + ": permission denied; make the file readable");
        try {
            if (Files.size(file) == 0) throw damaged(file, "the file is empty");
        } catch (IOException e) {
            throw new LenetException(file + ": cannot read (" + e.getMessage() + ")");
        }
        try (ImageInputStream in = new FileImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) throw damaged(file, "its first bytes are not those of any image format this program reads");
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, false);
                // Only the header so far: width and height of the first image.
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                if (width < 1 || height < 1) throw damaged(file, "the header says " + width + "x" + height + " pixels");
                if (width * height > MAX_PIXELS) {
                    throw new LenetException(String.format(Locale.ROOT,
                            "%s: %dx%d pixels (%.1f megapixels) is more than the %d-megapixel limit; scale the image down first",
                            file, width, height, width * height / 1e6, MAX_PIXELS / 1_000_000));
                }
                Orientation orientation = orientation(reader);
                int s = longerSideNeeded > 0 ? (int) Math.max(1, Math.max(width, height) / longerSideNeeded) : 1;
                ImageReadParam param = reader.getDefaultReadParam();
                if (s > 1) param.setSourceSubsampling(s, s, 0, 0);
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                BufferedImage image = reader.read(0, param);
                if (!warnings.isEmpty()) throw damaged(file, inWords(warnings.get(0)));
                return new Decoded(orientation.apply(image), (int) width, (int) height, s, orientation.words);
            } finally {
                reader.dispose();
            }
        } catch (LenetException e) {
            throw e;
        } catch (AccessDeniedException e) {
            throw new LenetException(file + ": permission denied; make the file readable");
        } catch (IOException | RuntimeException e) {
            // ImageIO's decoders report broken data as IIOException, but also as EOF,
            // IndexOutOfBounds, IllegalArgument, NegativeArraySize... exceptions.
            throw damaged(file, reason(e));
        }
    }

    private static LenetException damaged(Path file, String why) {
        return new LenetException(file + ": unsupported or damaged image (" + why + "); " + FIX);
    }

    /**
     * What went wrong, in words. Decoders' own messages are kept when they are sentences; an
     * exception that only names itself, a bare number or a Java class is replaced by what it means
     * for the file.
     */
    static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof EOFException) return "the file ends before the image does: it is cut short";
        }
        String m = e.getMessage();
        if (e instanceof IIOException && m != null && e.getCause() != null && !readable(m)) return reason(e.getCause());
        // A decoder's own message (IIOException) is about the file; any other exception's is about the code.
        if (e instanceof IIOException && m != null && readable(m)) return inWords(m.lines().findFirst().orElse(m).strip());
        if (e instanceof OutOfMemoryError) return "too large to decode in the memory given";
        return "its header or data is inconsistent, as in a damaged or cut-short file";
    }

    /** A message is kept when it has at least two words of letters and names no Java class. */
    private static boolean readable(String m) {
        String s = m.strip();
        if (s.isEmpty() || s.matches("[-+0-9., ]*")) return false;
        if (s.matches(".*\\b(java|javax|sun|com)\\.[a-z]+\\..*") || s.matches(".*[A-Za-z]+(Exception|Error)\\b.*")) return false;
        return s.matches(".*[A-Za-z]{2,}\\s+[A-Za-z]{2,}.*");
    }

    /** Small rewordings of decoder messages that are correct but cryptic. */
    private static String inWords(String m) {
        String s = m.strip();
        if (s.endsWith(".")) s = s.substring(0, s.length() - 1);
        if (s.startsWith("Premature end of JPEG file")) return "the JPEG data ends early: the file is cut short";
        if (s.equals("Image format error")) return "the JPEG data is damaged or cut short";
        if (s.startsWith("I/O error reading image")) return "the image data is damaged or cut short";
        if (s.equals("Error reading PNG image data")) return "the PNG's compressed pixel data is damaged or cut short";
        return s;
    }

    // ---------------------------------------------------------------------------------------------
    // Orientation.

    /**
     * The eight orientations a photo can be stored in (EXIF tag 274), as ImageIO's standard metadata
     * names them (its {@code Dimension/ImageOrientation}, which the TwelveMonkeys JPEG and TIFF
     * readers fill from the EXIF tag), and the turn or mirror that makes each upright. The standard
     * names count turns anticlockwise: EXIF's 6 ("turn clockwise to view") is "Rotate270".
     */
    enum Orientation {
        NORMAL("Normal", 1, ""),
        FLIP_H("FlipH", 2, "mirrored left to right"),
        ROTATE_180("Rotate180", 3, "turned 180 degrees"),
        FLIP_V("FlipV", 4, "mirrored top to bottom"),
        TRANSPOSE("FlipVRotate90", 5, "mirrored and turned 90 degrees"),
        CLOCKWISE("Rotate270", 6, "turned 90 degrees clockwise"),
        TRANSVERSE("FlipHRotate90", 7, "mirrored and turned 90 degrees"),
        ANTICLOCKWISE("Rotate90", 8, "turned 90 degrees anticlockwise");

        final String standardName;
        final int exif;
        final String words;

        Orientation(String standardName, int exif, String words) {
            this.standardName = standardName;
            this.exif = exif;
            this.words = words;
        }

        /**
         * The upright image. With EXIF's definition, a stored pixel (x, y) of a w x h image goes to
         * the displayed position below (W x H the displayed size, W = h and H = w when a quarter turn
         * is involved):
         *
         * <pre>
         *   1 (x, y)          2 (w-1-x, y)        3 (w-1-x, h-1-y)    4 (x, h-1-y)
         *   5 (y, x)          6 (h-1-y, x)        7 (h-1-y, w-1-x)    8 (y, w-1-x)
         * </pre>
         *
         * (6: the stored top row becomes the right-hand column, a quarter turn clockwise; 5 and 7
         * transpose and anti-transpose.)
         */
        BufferedImage apply(BufferedImage in) {
            if (this == NORMAL) return in;
            int w = in.getWidth(), h = in.getHeight();
            boolean quarter = exif >= 5;
            int outW = quarter ? h : w, outH = quarter ? w : h;
            ColorModel cm = in.getColorModel();
            WritableRaster dst = cm.createCompatibleWritableRaster(outW, outH);
            Raster src = in.getRaster();
            Object pixel = null;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    pixel = src.getDataElements(x, y, pixel);
                    int dx, dy;
                    switch (exif) {
                        case 2 -> { dx = w - 1 - x; dy = y; }
                        case 3 -> { dx = w - 1 - x; dy = h - 1 - y; }
                        case 4 -> { dx = x; dy = h - 1 - y; }
                        case 5 -> { dx = y; dy = x; }
                        case 6 -> { dx = h - 1 - y; dy = x; }
                        case 7 -> { dx = h - 1 - y; dy = w - 1 - x; }
                        default -> { dx = y; dy = w - 1 - x; } // 8
                    }
                    dst.setDataElements(dx, dy, pixel);
                }
            }
            return new BufferedImage(cm, dst, cm.isAlphaPremultiplied(), null);
        }
    }

    /**
     * The image's orientation from the reader's standard metadata; NORMAL when there is none or
     * the metadata cannot be read (the pixels may still be fine, and are checked when decoded).
     */
    private static Orientation orientation(ImageReader reader) {
        try {
            IIOMetadata meta = reader.getImageMetadata(0);
            if (meta == null || !meta.isStandardMetadataFormatSupported()) return Orientation.NORMAL;
            Node root = meta.getAsTree("javax_imageio_1.0");
            for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (!n.getNodeName().equals("Dimension")) continue;
                for (Node d = n.getFirstChild(); d != null; d = d.getNextSibling()) {
                    if (!d.getNodeName().equals("ImageOrientation") || d.getAttributes() == null) continue;
                    Node value = d.getAttributes().getNamedItem("value");
                    if (value == null) continue;
                    for (Orientation o : Orientation.values()) if (o.standardName.equalsIgnoreCase(value.getNodeValue())) return o;
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through: no usable metadata
        }
        return Orientation.NORMAL;
    }

    // ---------------------------------------------------------------------------------------------
    // Folders.

    /** A path a folder held that is not read, and why, in words. */
    public record Skipped(Path path, String why) {}

    /** The files to read, in order, and what the folders held that is not read. */
    public record Listing(List<Path> files, List<Skipped> skipped) {}

    /**
     * The images to read for the paths a user gave: a file stands for itself (whatever its name);
     * a folder for its images ({@link #EXTENSIONS}, regular files, not hidden), sorted by name, not
     * looking into sub-folders. Everything else in a folder is listed as skipped with the reason. A
     * folder without images stands for itself, so that reading it reports the problem in its turn;
     * so does a path that does not exist.
     */
    public static Listing list(List<Path> paths) {
        List<Path> files = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (Path p : paths) {
            if (!Files.isDirectory(p)) {
                files.add(p);
                continue;
            }
            List<Path> images = new ArrayList<>();
            List<Skipped> here = new ArrayList<>();
            try (DirectoryStream<Path> dir = Files.newDirectoryStream(p)) {
                for (Path f : dir) {
                    String why = whyNotRead(f);
                    if (why == null) images.add(f);
                    else here.add(new Skipped(f, why));
                }
            } catch (IOException e) {
                throw new LenetException(p + ": cannot list the folder (" + e.getMessage() + ")");
            }
            images.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
            here.sort((a, b) -> a.path().getFileName().toString().compareTo(b.path().getFileName().toString()));
            if (images.isEmpty()) files.add(p);
            files.addAll(images);
            skipped.addAll(here);
        }
        return new Listing(files, skipped);
    }

    /** The files of {@link #list}, without the skipped ones. */
    public static List<Path> expand(List<Path> paths) {
        return list(paths).files();
    }

    /** Why a folder's entry is not read, or null when it is an image to read. */
    private static String whyNotRead(Path f) {
        String name = f.getFileName().toString();
        if (name.startsWith(".")) return "a hidden file";
        if (Files.isDirectory(f)) return "a sub-folder (name it to read its images)";
        if (!isImageName(f)) return "not an image name (." + String.join(", .", sortedExtensions()) + ")";
        String kind = FileKind.notRegular(f);
        if (kind != null) return kind + ", not a regular file";
        if (!Files.exists(f)) return "a link to nothing";
        return null;
    }

    static boolean isImageName(Path f) {
        String name = f.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return !name.startsWith(".") && dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static List<String> sortedExtensions() {
        return EXTENSIONS.stream().sorted().toList();
    }

    /** Writes {@code pixels} (row-major, 0 black to 255 white) as an 8-bit grey PNG, atomically. */
    public static void writeGreyPng(Path file, byte[] pixels, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setDataElements(0, 0, width, height, pixels);
        writePng(file, image);
    }

    /** Writes {@code image} as a PNG, atomically. */
    public static void writePng(Path file, BufferedImage image) {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.setUseCache(false);
            if (!ImageIO.write(image, "png", png)) throw new IllegalStateException("ImageIO has no PNG writer");
        } catch (IOException e) {
            throw new IllegalStateException("writing a PNG to memory failed", e);
        }
        AtomicFiles.write(file, out -> png.writeTo(out));
    }
}
