package lenet.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import lenet.LenetException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run owns its folder: locked while it runs, never mixed with another run's or a user's files. */
class RunFolderTest {
    @TempDir
    Path tmp;

    @Test
    void aSecondRunOnALockedFolderIsRefusedNamingTheHoldersPid() {
        Path dir = tmp.resolve("run");
        try (RunFolder first = RunFolder.createNew(dir, tmp)) {
            LenetException e = assertThrows(LenetException.class, () -> RunFolder.createNew(dir, tmp, true));
            assertEquals(dir + ": another lenet process (PID " + ProcessHandle.current().pid() + ") is training in this run folder;"
                    + " wait for it to finish, or choose another {out}", e.getMessage());
            assertThrows(LenetException.class, () -> RunFolder.forResume(dir.resolve("last.npz"), true));
        }
        // Released: the folder (empty, made by the first run) is gone and can be used again.
        assertFalse(Files.exists(dir));
        RunFolder.createNew(dir, tmp).close();
    }

    @Test
    void aStaleLockFromAProcessThatDiedIsTakenOver() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("run"));
        Files.writeString(dir.resolve(RunLock.NAME), "999999999 0123456789abcdef\n"); // kill -9 leaves this, unlocked
        try (RunFolder run = RunFolder.createNew(dir, tmp)) {
            assertEquals(999999999L, run.lock().stalePid());
            assertTrue(Files.readString(dir.resolve(RunLock.NAME)).equals(ProcessHandle.current().pid() + "\n"));
        }
        assertEquals("", Files.readString(dir.resolve(RunLock.NAME)), "emptied on close");
        assertTrue(Files.isDirectory(dir), "a folder that was there before stays");
    }

    @Test
    void aNewRunRefusesAFolderWithFilesUnlessForcedAndThenReplacesNone() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("mine"));
        Files.writeString(dir.resolve("notes.txt"), "my notes");
        LenetException e = assertThrows(LenetException.class, () -> RunFolder.createNew(dir, tmp));
        assertTrue(e.getMessage().contains("is not empty (notes.txt)") && e.getMessage().contains("{force}"), e.getMessage());
        try (RunFolder run = RunFolder.createNew(dir, tmp, true)) {
            assertEquals(dir, run.dir());
        }
        assertEquals("my notes", Files.readString(dir.resolve("notes.txt")));
    }

    @Test
    void anEarlierRunsFilesAreNeverReplacedEvenWithForce() throws Exception {
        // What the issue found overwritten: an earlier run's files without last.npz or metrics.csv.
        Path dir = Files.createDirectories(tmp.resolve("earlier"));
        for (String name : new String[] {"epoch-01.npz", "config.json", "metrics.jsonl"}) Files.writeString(dir.resolve(name), name);
        for (boolean force : new boolean[] {false, true}) {
            LenetException e = assertThrows(LenetException.class, () -> RunFolder.createNew(dir, tmp, force));
            assertTrue(e.getMessage().contains("holds files of an earlier run (config.json, epoch-01.npz, metrics.jsonl)"), e.getMessage());
        }
        assertEquals("epoch-01.npz", Files.readString(dir.resolve("epoch-01.npz")));
        try (var files = Files.list(dir)) {
            assertEquals(3, files.count(), "nothing added, nothing removed");
        }
    }

    @Test
    void aResumeRefusesAFolderHoldingFilesThatAreNotTheRunsUnlessForced() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("downloads"));
        Files.writeString(dir.resolve("model.npz"), "x");
        Files.writeString(dir.resolve("holiday.jpg"), "y");
        LenetException e = assertThrows(LenetException.class, () -> RunFolder.forResume(dir.resolve("model.npz"), false));
        assertTrue(e.getMessage().contains("holds files that are not this run's (holiday.jpg)"), e.getMessage());
        RunFolder.forResume(dir.resolve("model.npz"), true).close();
        // A run folder with a temp file that a kill -9 left behind is the run's own.
        Path run = Files.createDirectories(tmp.resolve("run"));
        for (String name : new String[] {"epoch-01.npz", "last.npz", "metrics.csv", ".last.npz.tmp-00ff", RunLock.NAME}) Files.writeString(run.resolve(name), "");
        Files.createDirectories(run.resolve("report")); // lenet report's pictures
        RunFolder.forResume(run.resolve("epoch-01.npz"), false).close();
    }

    @Test
    void progressIsWrittenAtMostOnceASecondAndAtTheEpochsEndAndCountsAsTheRunsOwn() throws Exception {
        Path dir = tmp.resolve("run");
        try (RunFolder run = RunFolder.createNew(dir, tmp)) {
            run.recordProgress(1, 4, 128, 60000, 2.3, 0.1, 0.5);
            RunFolder.Progress first = lenet.io.Json.MAPPER.readValue(dir.resolve(RunFolder.PROGRESS).toFile(), RunFolder.Progress.class);
            assertEquals(new RunFolder.Progress(1, 4, 128, 60000, 2.3, 0.1, 0.5), first);
            run.recordProgress(1, 4, 256, 60000, 2.2, 0.2, 0.6); // within the second: not written
            assertEquals(128, lenet.io.Json.MAPPER.readTree(dir.resolve(RunFolder.PROGRESS).toFile()).path("images").asInt());
            run.recordProgress(1, 4, 60000, 60000, Double.NaN, 0.9, 9.0); // the epoch's last step: always written
            var last = lenet.io.Json.MAPPER.readTree(dir.resolve(RunFolder.PROGRESS).toFile());
            assertEquals(60000, last.path("images").asInt());
            assertTrue(last.path("train_loss").isNull(), "a loss that is not finite is null: " + last);
        }
        // A run's own file: a new run refuses to write over it, a resume accepts it.
        LenetException e = assertThrows(LenetException.class, () -> RunFolder.createNew(dir, tmp, true));
        assertTrue(e.getMessage().contains("holds files of an earlier run (progress.json)"), e.getMessage());
        Files.writeString(dir.resolve("epoch-01.npz"), "");
        RunFolder.forResume(dir.resolve("epoch-01.npz"), false).close();
    }
}
