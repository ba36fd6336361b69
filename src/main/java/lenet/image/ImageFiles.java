package lenet.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
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
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import lenet.LenetException;
import lenet.io.AtomicFiles;

/**
 * Reading untrusted image files with the JDK's ImageIO (PNG of every colour type and bit depth,
 * JPEG, GIF's first frame, BMP), and writing 28x28 grey PNGs.
 *
 * <p>The dimensions are read from the file's header before any pixel is decoded, and an image of
 * more than {@link #MAX_PIXELS} pixels is refused: a few kilobytes of PNG can claim 100000x100000
 * pixels (a "decompression bomb"), which decoded would need 40 GB. Every problem is a
 * {@link LenetException} whose one-line message names the file, says what is wrong and how to fix it.
 */
public final class ImageFiles {
    /** The most pixels an image may have: 40 megapixels, more than any phone camera's photo. */
    public static final long MAX_PIXELS = 40_000_000L;

    /** The file name endings a folder's images are recognised by (any case). */
    public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "gif", "bmp");

    private static final String FIX = "give a PNG, JPEG, GIF or BMP file";

    private ImageFiles() {}

    /**
     * The first image in {@code file}, decoded, after its header has been checked against
     * {@link #MAX_PIXELS}. Decoder warnings (a JPEG that ends early, for one) count as damage:
     * the pixels would be partly made up.
     */
    public static BufferedImage read(Path file) {
        if (Files.isDirectory(file)) {
            throw new LenetException(file + ": a folder with no images (." + String.join(", .", sortedExtensions())
                    + "); put images in it or name image files");
        }
        if (!Files.exists(file)) throw new LenetException(file + ": no such file; check the name");
        if (!Files.isReadable(file)) throw new LenetException(file + ": permission denied; make the file readable");
        try {
            if (Files.size(file) == 0) throw damaged(file, "the file is empty");
        } catch (IOException e) {
            throw new LenetException(file + ": cannot read (" + e.getMessage() + ")");
        }
        try (ImageInputStream in = new FileImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) throw damaged(file, "not a format ImageIO reads");
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                // Only the header so far: width and height of the first image.
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                if (width < 1 || height < 1) throw damaged(file, "the header says " + width + "x" + height + " pixels");
                if (width * height > MAX_PIXELS) {
                    throw new LenetException(String.format(Locale.ROOT,
                            "%s: %dx%d pixels (%.1f megapixels) is more than the %d-megapixel limit; scale the image down first",
                            file, width, height, width * height / 1e6, MAX_PIXELS / 1_000_000));
                }
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                BufferedImage image = reader.read(0);
                if (!warnings.isEmpty()) throw damaged(file, warnings.get(0));
                return image;
            } finally {
                reader.dispose();
            }
        } catch (LenetException e) {
            throw e;
        } catch (AccessDeniedException e) {
            throw new LenetException(file + ": permission denied; make the file readable");
        } catch (IOException | RuntimeException e) {
            // ImageIO's decoders report broken data as IIOException, but also as
            // IndexOutOfBounds, IllegalArgument, NegativeArraySize... exceptions.
            throw damaged(file, reason(e));
        }
    }

    private static LenetException damaged(Path file, String why) {
        return new LenetException(file + ": unsupported or damaged image (" + why + "); " + FIX);
    }

    private static String reason(Exception e) {
        String m = e.getMessage();
        if (m == null || m.isBlank() || m.strip().matches("-?\\d+")) return e instanceof java.io.EOFException ? "the file ends early" : "the image data is damaged";
        return m.lines().findFirst().orElse(m).strip();
    }

    /**
     * The images to read for the paths a user gave: a file stands for itself (whatever its name);
     * a folder for its images ({@link #EXTENSIONS}, hidden files skipped), sorted by name, not
     * looking into sub-folders. A folder without images stands for itself, so that reading it
     * reports the problem in its turn; so does a path that does not exist.
     */
    public static List<Path> expand(List<Path> paths) {
        List<Path> files = new ArrayList<>();
        for (Path p : paths) {
            if (!Files.isDirectory(p)) {
                files.add(p);
                continue;
            }
            List<Path> images = new ArrayList<>();
            try (DirectoryStream<Path> dir = Files.newDirectoryStream(p)) {
                for (Path f : dir) if (isImageName(f) && Files.isRegularFile(f)) images.add(f);
            } catch (IOException e) {
                throw new LenetException(p + ": cannot list the folder (" + e.getMessage() + ")");
            }
            images.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
            if (images.isEmpty()) files.add(p);
            files.addAll(images);
        }
        return files;
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
