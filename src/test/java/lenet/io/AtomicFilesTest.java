package lenet.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import lenet.LenetException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void writesANewFile() throws IOException {
        Path metrics = dir.resolve("metrics.csv");
        AtomicFiles.write(metrics, out -> out.write("epoch,loss\n1,0.5\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals("epoch,loss\n1,0.5\n", Files.readString(metrics));
        assertEquals(List.of(metrics), files());
    }

    @Test
    void replacesAnExistingFileWithTheNewContent() throws IOException {
        Path metrics = dir.resolve("metrics.csv");
        Files.writeString(metrics, "old");
        AtomicFiles.write(metrics, out -> out.write("new".getBytes(StandardCharsets.UTF_8)));
        assertEquals("new", Files.readString(metrics));
        assertEquals(List.of(metrics), files());
    }

    @Test
    void bodyMayCloseTheStream() throws IOException {
        Path file = dir.resolve("closed.txt");
        AtomicFiles.write(file, out -> {
            out.write('x');
            out.close();
        });
        assertEquals("x", Files.readString(file));
    }

    @Test
    void failureInTheBodyLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path checkpoint = dir.resolve("last.npz");
        Files.writeString(checkpoint, "old");
        IllegalStateException thrown = new IllegalStateException("disk on fire");

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> AtomicFiles.write(checkpoint, out -> {
            out.write(new byte[100_000]); // enough to reach the disk through the buffer
            throw thrown;
        }));

        assertSame(thrown, e);
        assertEquals("old", Files.readString(checkpoint));
        assertEquals(List.of(checkpoint), files());
    }

    @Test
    void ioExceptionInTheBodyBecomesOneLineNamingTheFile() throws IOException {
        Path checkpoint = dir.resolve("last.npz");
        LenetException e = assertThrows(LenetException.class, () -> AtomicFiles.write(checkpoint, out -> {
            throw new IOException("No space left on device");
        }));
        assertEquals(checkpoint + ": cannot write (No space left on device); check that the folder is writable"
                + " and the disk is not full", e.getMessage());
        assertEquals(List.of(), files());
    }

    @Test
    void missingFolderIsReportedWithTheFix() {
        Path target = dir.resolve("runs/x/last.npz");
        LenetException e = assertThrows(LenetException.class, () -> AtomicFiles.write(target, out -> out.write(1)));
        assertEquals(target + ": cannot write, folder " + target.getParent() + " does not exist; create it first",
                e.getMessage());
    }

    @Test
    void newFileGetsTheUsualPermissionsNotTheTemporaryFilesPrivateOnes() throws IOException {
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
        Path atomic = dir.resolve("atomic.txt");
        AtomicFiles.write(atomic, out -> out.write('x'));
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(atomic));
        }
    }

    @Test
    void readersSeeTheOldOrTheNewContentNeverAMix() throws Exception {
        Path file = dir.resolve("state.txt");
        String old = "a".repeat(200_000);
        String fresh = "b".repeat(200_000);
        Files.writeString(file, old);
        Thread writer = new Thread(() -> {
            for (int i = 0; i < 20; i++) {
                String content = i % 2 == 0 ? fresh : old;
                AtomicFiles.write(file, out -> out.write(content.getBytes(StandardCharsets.US_ASCII)));
            }
        });
        writer.start();
        while (writer.isAlive()) {
            String seen = Files.readString(file);
            assertTrue(seen.equals(old) || seen.equals(fresh), "a reader saw a partly written file");
        }
        writer.join();
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.sorted().toList();
        }
    }
}
