package lenet.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

import lenet.LenetException;

/**
 * The check every reader of a user's file makes before opening it: the path names a regular file
 * (or a link to one). A named pipe would block the reader forever waiting for a writer, a device
 * such as /dev/zero or /dev/urandom never ends, and a socket cannot be opened at all; each is
 * refused up front, in one line that names the path and what it is.
 */
public final class RegularFiles {
    // File type bits of st_mode (sys/stat.h), as the "unix:mode" attribute gives them.
    private static final int S_IFMT = 0170000, S_IFSOCK = 0140000, S_IFBLK = 0060000, S_IFCHR = 0020000, S_IFIFO = 0010000;

    private RegularFiles() {
    }

    /**
     * Fails with a {@link LenetException} naming {@code file} unless it is a regular file that
     * exists; {@code fix} (e.g. "pass an MNIST-style images file") ends the message for a folder or
     * a special file.
     */
    public static void require(Path file, String fix) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new LenetException(file + ": no such file; check the path");
        } catch (AccessDeniedException e) {
            throw new LenetException(file + ": permission denied; make the file readable (chmod a+r)");
        } catch (IOException e) {
            throw new LenetException(file + ": cannot read (" + IoReasons.of(e) + ")");
        }
        if (attributes.isRegularFile()) {
            return;
        }
        if (attributes.isDirectory()) {
            throw new LenetException(file + ": is a folder, not a file; " + fix);
        }
        throw new LenetException(file + ": is " + kind(file) + ", not a regular file; lenet reads only files on disk, " + fix);
    }

    /** "a named pipe", "a device", "a socket", or "a special file" where the type cannot be told. */
    static String kind(Path file) {
        int mode;
        try {
            mode = (Integer) Files.getAttribute(file, "unix:mode");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return "a special file";
        }
        return switch (mode & S_IFMT) {
            case S_IFIFO -> "a named pipe";
            case S_IFCHR, S_IFBLK -> "a device";
            case S_IFSOCK -> "a socket";
            default -> "a special file";
        };
    }
}
