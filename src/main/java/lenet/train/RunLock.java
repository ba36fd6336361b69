package lenet.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import lenet.LenetException;
import lenet.io.IoReasons;

/**
 * An exclusive lock on a run folder, so two processes never write into one run: the lock file
 * {@value #NAME} in the folder, locked with {@link FileChannel#tryLock} and holding the owner's PID
 * while it runs.
 *
 * <p>The operating system releases the lock when its process ends, however it ends, so a lock
 * file that names a process that was killed is stale and simply taken over. The file itself stays
 * in the folder, emptied when the run ends: deleting it would let a process that opened it a
 * moment earlier lock a file that no longer has a name while another locks a new one. The lock is
 * a POSIX record lock, which the process loses when it closes any descriptor of the file, so the
 * file is only ever read and written through the one channel that holds the lock.
 */
final class RunLock implements AutoCloseable {
    static final String NAME = ".lenet-lock";

    private final FileChannel channel;
    private final FileLock lock;
    private final long stalePid;

    private RunLock(FileChannel channel, FileLock lock, long stalePid) {
        this.channel = channel;
        this.lock = lock;
        this.stalePid = stalePid;
    }

    /** Locks {@code dir} (which must exist) or fails in one line naming the process that holds it. */
    static RunLock acquire(Path dir) {
        Path file = dir.resolve(NAME);
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this very process, through another channel
            }
            if (lock == null) {
                long holder = pidIn(channel);
                channel.close();
                throw held(dir, holder);
            }
            long previous = pidIn(channel); // a PID left here without a lock: its process died
            byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(pid), 0);
            channel.force(true);
            return new RunLock(channel, lock, previous);
        } catch (IOException e) {
            throw new LenetException(dir + ": cannot lock the run folder (" + IoReasons.of(e) + "); choose a folder on a local disk with {out}");
        }
    }

    private static LenetException held(Path dir, long pid) {
        String who = pid > 0 ? "another lenet process (PID " + pid + ")" : "another lenet process";
        return new LenetException(dir + ": " + who + " is training in this run folder; wait for it to finish, or choose another {out}");
    }

    /** The PID the lock file names (read through {@code channel}), or -1 when it names none. */
    private static long pidIn(FileChannel channel) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(64);
        channel.read(bytes, 0);
        String text = new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8).strip();
        try {
            return text.isEmpty() ? -1 : Long.parseLong(text.split("\\s+", 2)[0]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The PID a stale lock file named when this lock was taken over (its process had died), or -1. */
    long stalePid() {
        return stalePid;
    }

    /** Empties the lock file (it no longer names a holder) and releases the lock. */
    @Override
    public void close() {
        try {
            channel.truncate(0);
        } catch (IOException ignored) {
            // A PID left behind only reads as a stale lock to the next run.
        }
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // Closing the channel is what releases the lock; the process ending releases it too.
        }
    }
}
