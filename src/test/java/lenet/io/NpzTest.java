package lenet.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import lenet.LenetException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpzTest {
    private static final String NOT_NPZ_FIX = "; pass a .npz file written by lenet or by numpy.savez";

    @TempDir
    Path dir;

    @Test
    void writeThenReadKeepsArraysAndOtherMembersInOrder() {
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        arrays.put("conv1.weight", counting(6, 1, 5, 5));
        arrays.put("fc3.bias", counting(10));
        arrays.put("epoch", new NdArray(new long[0], new float[] {3}));
        arrays.put("optimizer/conv1.weight.velocity", counting(6, 1, 5, 5));
        byte[] meta = "{\"format\": 1}".getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("last.npz");

        Npz.write(file, arrays, Map.of("meta.json", meta));
        Npz.Contents contents = Npz.read(file);

        assertEquals(arrays, contents.arrays());
        assertEquals(List.copyOf(arrays.keySet()), List.copyOf(contents.arrays().keySet()));
        assertEquals(List.of("meta.json"), List.copyOf(contents.otherMembers().keySet()));
        assertArrayEquals(meta, contents.otherMembers().get("meta.json"));
    }

    @Test
    void sameArraysGiveTheSameBytes() throws IOException {
        Map<String, NdArray> arrays = Map.of("w", counting(3, 4));
        Npz.write(dir.resolve("a.npz"), arrays, Map.of());
        Npz.write(dir.resolve("b.npz"), arrays, Map.of());
        assertArrayEquals(Files.readAllBytes(dir.resolve("a.npz")), Files.readAllBytes(dir.resolve("b.npz")));
    }

    @Test
    void rewritingReplacesTheFileAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("last.npz");
        Npz.write(file, Map.of("w", counting(2)), Map.of());
        Npz.write(file, Map.of("w", counting(5)), Map.of());
        assertEquals(counting(5), Npz.read(file).arrays().get("w"));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void readsDeflatedMembers() throws IOException {
        NdArray weight = counting(4, 4);
        Path file = zipOf(Map.of("w.npy", Npy.write(weight)), ZipEntry.DEFLATED);
        assertEquals(Map.of("w", weight), Npz.read(file).arrays());
    }

    @Test
    void writeRefusesNamesThatWouldNotReadBack() {
        Path file = dir.resolve("x.npz");
        NdArray a = counting(1);
        assertThrows(IllegalArgumentException.class, () -> Npz.write(file, Map.of(), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> Npz.write(file, Map.of("../w", a), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> Npz.write(file, Map.of("", a), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> Npz.write(file, Map.of("w", a), Map.of("b.npy", new byte[0])));
        assertThrows(IllegalArgumentException.class, () -> Npz.write(file, Map.of("w", a), Map.of("/etc/x", new byte[0])));
    }

    @Test
    void missingFile() {
        Path file = dir.resolve("nope.npz");
        assertMessage(file + ": no such file; check the path", file);
    }

    @Test
    void folderInsteadOfFile() {
        assertMessage(dir + ": is a folder, not a .npz file; pass the path of a .npz file", dir);
    }

    @Test
    void emptyFile() throws IOException {
        Path file = Files.write(dir.resolve("empty.npz"), new byte[0]);
        assertMessage(file + ": is empty (0 bytes), not a .npz checkpoint; write it again or pass a .npz file"
                + " written by lenet or by numpy.savez", file);
    }

    @Test
    void randomBytes() throws IOException {
        byte[] noise = new byte[1000];
        new Random(42).nextBytes(noise);
        Path file = Files.write(dir.resolve("noise.npz"), noise);
        assertMessage(file + ": not a .npz checkpoint (not a zip archive)" + NOT_NPZ_FIX, file);
    }

    @Test
    void textFile() throws IOException {
        Path file = Files.writeString(dir.resolve("metrics.csv"), "epoch,loss,accuracy\n1,0.31,0.91\n");
        assertMessage(file + ": not a .npz checkpoint (not a zip archive): it looks like text" + NOT_NPZ_FIX, file);
    }

    @Test
    void javaSerializedObject() throws IOException {
        Path file = dir.resolve("model.ser");
        try (ObjectOutputStream out = new ObjectOutputStream(Files.newOutputStream(file))) {
            out.writeObject(new HashMap<>(Map.of("conv1.weight", new float[] {1, 2, 3})));
        }
        assertMessage(file + ": not a .npz checkpoint (not a zip archive): it is a serialized Java object"
                + NOT_NPZ_FIX, file);
    }

    @Test
    void singleNpyInsteadOfNpz() throws IOException {
        Path file = Files.write(dir.resolve("w.npy"), Npy.write(counting(3)));
        assertMessage(file + ": not a .npz checkpoint (not a zip archive): it is a single .npy array" + NOT_NPZ_FIX, file);
    }

    @Test
    void zipOfSomethingElse() throws IOException {
        Path file = zipOf(Map.of("README.txt", "hello".getBytes(StandardCharsets.UTF_8)), ZipEntry.DEFLATED);
        assertMessage(file + ": not a .npz checkpoint (the zip archive holds no .npy arrays)" + NOT_NPZ_FIX, file);
    }

    @Test
    void truncatedArchive() throws IOException {
        Path whole = dir.resolve("whole.npz");
        Npz.write(whole, Map.of("w", counting(100)), Map.of());
        byte[] bytes = Files.readAllBytes(whole);
        Path file = Files.write(dir.resolve("cut.npz"), Arrays.copyOf(bytes, bytes.length / 2));
        assertMessage(file + ": damaged .npz checkpoint (zip END header not found); the file is truncated or corrupt,"
                + " write it again", file);
    }

    @Test
    void truncatedNpyMember() throws IOException {
        byte[] npy = Npy.write(counting(10));
        Path file = zipOf(Map.of("w.npy", Arrays.copyOf(npy, npy.length - 20)), ZipEntry.STORED);
        assertMessage(file + " member w.npy: shape (10,) of '<f4' needs 40 bytes of data but 20 follow the header;"
                + " the file is damaged or truncated, write it again", file);
    }

    @Test
    void memberWithBadMagic() throws IOException {
        Path file = zipOf(Map.of("w.npy", "not numpy at all".getBytes(StandardCharsets.UTF_8)), ZipEntry.STORED);
        assertMessage(file + " member w.npy: not a .npy array (it does not start with \\x93NUMPY); write it with"
                + " numpy.save", file);
    }

    @Test
    void memberWithUnsupportedDtype() throws IOException {
        byte[] npy = NpyTest.npy(1, "{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", new byte[8]);
        Path file = zipOf(Map.of("w.npy", npy), ZipEntry.STORED);
        assertMessage(file + " member w.npy: unsupported dtype '<c8' (this reader accepts <f4, >f4, <f8, >f8, |u1,"
                + " <i4, >i4, <i8, >i8); save it as float32, e.g. numpy.save(f, a.astype('float32'))", file);
    }

    @Test
    void memberClaimingAHugeShapeIsRejectedBeforeAllocating() throws IOException {
        byte[] npy = NpyTest.npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (60000, 60000), }", new byte[0]);
        Path file = zipOf(Map.of("w.npy", npy), ZipEntry.DEFLATED);
        String message = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> message(file));
        assertEquals(file + " member w.npy: shape (60000, 60000) has 3600000000 elements, more than the 100000000"
                + " this reader accepts; is this the right file?", message);
    }

    @Test
    void zipBombDeclaringMoreThanTheLimitIsRefusedUnread() throws IOException {
        // 600 MiB of float32 zeros deflate to under a megabyte; the archive honestly declares 600 MiB.
        byte[] header = npyHeader(600L * 1024 * 1024 / 4);
        long size = header.length + 600L * 1024 * 1024;
        Path file = Files.write(dir.resolve("bomb.npz"),
                HandMadeZip.oneMember("w.npy", 8, HandMadeZip.deflatedZeros(header, 600), size, 0));
        assertMessage(file + ": members declare more than 536870912 bytes in all once expanded (member w.npy alone "
                + size + "); refusing to read it, is this the right file?", file);
    }

    @Test
    void zipBombDeclaringLessThanItHoldsIsStoppedAtTheDeclaredSize() throws IOException {
        // Declares a 1 KiB array but inflates to 600 MiB: reading stops one byte past the declared size.
        byte[] header = npyHeader(256);
        long declared = header.length + 256 * 4;
        Path file = Files.write(dir.resolve("bomb.npz"),
                HandMadeZip.oneMember("w.npy", 8, HandMadeZip.deflatedZeros(header, 600), declared, 0));
        String message = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> message(file));
        assertEquals(file + " member w.npy: holds more than the " + declared + " bytes its zip entry declares"
                + " (a damaged file or a zip bomb); refusing to read on, use a checkpoint you trust", message);
    }

    @Test
    void memberNameWithPathTraversal() throws IOException {
        byte[] npy = Npy.write(counting(2));
        Path file = Files.write(dir.resolve("evil.npz"), HandMadeZip.oneMember("../../evil.npy", 0, npy, npy.length, crc(npy)));
        assertMessage(file + ": member '../../evil.npy' looks like a path, which a .npz never holds" + NOT_NPZ_FIX, file);
    }

    @Test
    void tooManyMembers() throws IOException {
        Map<String, byte[]> members = new LinkedHashMap<>();
        for (int i = 0; i < 300; i++) {
            members.put("a" + i + ".npy", new byte[0]);
        }
        Path file = zipOf(members, ZipEntry.STORED);
        assertMessage(file + ": holds 300 members, more than the 256 accepted; is this the right file?", file);
    }

    @Test
    void corruptedDataFailsTheChecksum() throws IOException {
        byte[] npy = Npy.write(counting(4));
        long crc = crc(npy);
        npy[npy.length - 1] ^= 1;
        Path file = Files.write(dir.resolve("flipped.npz"), HandMadeZip.oneMember("w.npy", 0, npy, npy.length, crc));
        assertMessage(file + " member w.npy: checksum mismatch, the data is corrupt; write the file again", file);
    }

    /** 0, 1, 2, ... in the given shape. */
    private static NdArray counting(long... shape) {
        float[] data = new float[(int) Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
        for (int i = 0; i < data.length; i++) {
            data[i] = i;
        }
        return new NdArray(shape, data);
    }

    /** A .npy header, without data, for a float32 vector of {@code n} elements. */
    private static byte[] npyHeader(long n) {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + n + ",), }";
        return NpyTest.npy(1, dict, new byte[0]);
    }

    private Path zipOf(Map<String, byte[]> members, int method) throws IOException {
        Path file = dir.resolve("made.npz");
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> member : members.entrySet()) {
                ZipEntry entry = new ZipEntry(member.getKey());
                entry.setMethod(method);
                if (method == ZipEntry.STORED) {
                    entry.setSize(member.getValue().length);
                    entry.setCrc(crc(member.getValue()));
                }
                zip.putNextEntry(entry);
                zip.write(member.getValue());
                zip.closeEntry();
            }
        }
        return file;
    }

    private static long crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    private static String message(Path file) {
        return assertThrows(LenetException.class, () -> Npz.read(file)).getMessage();
    }

    private static void assertMessage(String expected, Path file) {
        assertEquals(expected, message(file));
    }
}
