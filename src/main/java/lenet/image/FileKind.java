package lenet.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What kind of file system entry a path is, so that only regular files are ever opened: reading a
 * named pipe blocks until someone writes into it, a device can be endless, and a socket cannot be
 * opened at all. The check follows symbolic links, as opening the file would.
 */
final class FileKind {
    private FileKind() {}

    /** Null for a regular file (or a path that does not exist or is a folder); otherwise what it is, in words. */
    static String notRegular(Path file) {
        if (Files.isRegularFile(file) || Files.isDirectory(file) || !Files.exists(file)) return null;
        try {
            // The "unix" view's mode holds the file type in its S_IFMT bits (see stat(2)).
            int mode = (Integer) Files.getAttribute(file, "unix:mode");
            return switch (mode & 0170000) {
                case 0010000 -> "a named pipe";
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                case 0140000 -> "a socket";
                default -> "not a regular file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return "not a regular file";
        }
    }
}
