package lenet.image;

import java.io.IOException;

/** Lets tests in other packages make the decompression-bomb PNG of {@link ImageFilesTest}. */
public final class ImageFilesTestAccess {
    private ImageFilesTestAccess() {}

    public static byte[] pngClaiming(int width, int height) throws IOException {
        return ImageFilesTest.pngClaiming(width, height);
    }
}
