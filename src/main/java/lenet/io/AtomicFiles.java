package lenet.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;

import lenet.LenetException;

/**
 * Replaces a file so that readers, and the disk after a crash, see either the old content or the
 * complete new one, never a half-written file.
 *
 * <p>The content goes to a hidden temporary file in the same folder ({@code .last.npz.tmp-1a2b...}),
 * which is forced to disk and then renamed over the target; the folder is forced too, so the rename
 * itself survives a crash. On any failure the temporary file is deleted and the target is untouched.
 */
public final class AtomicFiles {
    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFiles() {
    }

    /**
     * Writes {@code target} with what {@code body} writes to the stream it is given. {@code body} may
     * close the stream or not; exceptions it throws propagate (an {@link IOException} as a
     * {@link LenetException} naming {@code target}) after the temporary file has been removed.
     */
    public static void write(Path target, IoConsumer<OutputStream> body) {
        Path absolute = target.toAbsolutePath();
        Path folder = absolute.getParent();
        if (!Files.isDirectory(folder)) {
            throw new LenetException(target + ": cannot write, folder " + folder + " does not exist; create it first");
        }
        byte[] random = new byte[8];
        RANDOM.nextBytes(random);
        Path temp = folder.resolve("." + absolute.getFileName() + ".tmp-" + HexFormat.of().formatHex(random));
        boolean moved = false;
        try {
            // Not Files.createTempFile: it makes the file private (0600); this keeps the usual permissions.
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream buffered = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
                body.accept(new FilterOutputStream(buffered) {
                    @Override
                    public void write(byte[] bytes, int offset, int length) throws IOException {
                        out.write(bytes, offset, length);
                    }

                    @Override
                    public void close() throws IOException {
                        flush(); // the channel is ours to force and close
                    }
                });
                buffered.flush();
                channel.force(true);
            }
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            forceFolder(folder);
        } catch (AtomicMoveNotSupportedException e) {
            throw new LenetException(target + ": cannot write, the file system does not support atomic renames;"
                    + " write to a folder on a local disk", e);
        } catch (IOException e) {
            throw new LenetException(target + ": cannot write (" + IoReasons.of(e) + "); check that the folder"
                    + " is writable and the disk is not full", e);
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // The original failure is the one to report.
                }
            }
        }
    }

    /** Makes the rename durable; some file systems refuse to open or sync a folder, which is harmless. */
    private static void forceFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // Best effort: the file itself is already on disk.
        }
    }
}
