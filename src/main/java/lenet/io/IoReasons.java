package lenet.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.zip.ZipException;

/**
 * Short reasons for I/O failures, in words, for one-line messages that already name the file.
 * Never a Java class name: an exception without a message becomes what it means.
 */
public final class IoReasons {
    private IoReasons() {
    }

    public static String of(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException missing) {
            return "no such file or folder: " + missing.getFile();
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        String message = e.getMessage();
        if (message != null && !message.isBlank()) {
            return message.lines().findFirst().orElse(message).strip();
        }
        if (e instanceof EOFException) {
            return "the data ends early";
        }
        if (e instanceof ZipException) {
            return "the zip data is corrupt";
        }
        return "a read or write error";
    }
}
