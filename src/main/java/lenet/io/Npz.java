package lenet.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import lenet.LenetException;

/**
 * NumPy's {@code .npz} format: a zip archive of {@code .npy} members, one per named array, as
 * {@code numpy.savez} (stored) and {@code numpy.savez_compressed} (deflated) write it.
 *
 * <p>{@link #write} stores the arrays uncompressed, as {@code numpy.savez} does, plus any other raw
 * members (such as {@code meta.json}), and replaces the file atomically. {@link #read} treats the file
 * as untrusted: it bounds the number of members and the bytes they may expand to, rejects path-like
 * member names, checks every CRC, and reports every problem as a one-line {@link LenetException}
 * naming the file. It never uses Java deserialization.
 */
public final class Npz {
    /** Most members in one archive; a LeNet checkpoint has about 20. */
    public static final int MAX_MEMBERS = 256;
    /** Most bytes all members together may declare and expand to (and the heap must hold them too). */
    public static final long MAX_TOTAL_BYTES = 512L * 1024 * 1024;
    /** Most bytes a member that is not an array (such as meta.json) may declare. */
    public static final long MAX_OTHER_MEMBER_BYTES = 16L * 1024 * 1024;

    private static final String NPY = ".npy";
    // A fixed timestamp, so the same arrays always give the same bytes.
    private static final LocalDateTime MEMBER_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);
    private static final String FIX_NOT_NPZ = "pass a .npz file written by lenet or by numpy.savez";

    private Npz() {
    }

    /**
     * What an archive holds, in archive order.
     *
     * @param arrays       the {@code .npy} members, by name without {@code .npy}
     * @param otherMembers every other member, by its full name, as raw bytes
     */
    public record Contents(Map<String, NdArray> arrays, Map<String, byte[]> otherMembers) {
        public Contents {
            arrays = Collections.unmodifiableMap(new LinkedHashMap<>(arrays));
            otherMembers = Collections.unmodifiableMap(new LinkedHashMap<>(otherMembers));
        }
    }

    /**
     * Atomically writes {@code file} with a member {@code <name>.npy} for each array, in map order,
     * followed by {@code otherMembers} as they are. Array names and member names may contain
     * {@code /} but no empty, {@code .} or {@code ..} parts; other members must not end in {@code .npy}.
     */
    public static void write(Path file, Map<String, NdArray> arrays, Map<String, byte[]> otherMembers) {
        if (arrays.isEmpty()) {
            throw new IllegalArgumentException("a .npz needs at least one array");
        }
        if (arrays.size() + otherMembers.size() > MAX_MEMBERS) {
            throw new IllegalArgumentException("more than " + MAX_MEMBERS + " members");
        }
        for (String name : arrays.keySet()) {
            requireValidName(name + NPY);
        }
        for (String name : otherMembers.keySet()) {
            requireValidName(name);
            if (name.endsWith(NPY)) {
                throw new IllegalArgumentException("member " + name + " would read back as an array; pass it in arrays");
            }
        }
        AtomicFiles.write(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            for (Map.Entry<String, NdArray> array : arrays.entrySet()) {
                store(zip, array.getKey() + NPY, Npy.write(array.getValue()));
            }
            for (Map.Entry<String, byte[]> member : otherMembers.entrySet()) {
                store(zip, member.getKey(), member.getValue());
            }
            zip.close();
        });
    }

    private static void store(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        // A stored entry must declare its size and CRC before its data.
        CRC32 crc = new CRC32();
        crc.update(bytes);
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(bytes.length);
        entry.setCompressedSize(bytes.length);
        entry.setCrc(crc.getValue());
        entry.setTimeLocal(MEMBER_TIME);
        zip.putNextEntry(entry);
        zip.write(bytes);
        zip.closeEntry();
    }

    private static void requireValidName(String name) {
        String problem = nameProblem(name);
        if (problem != null) {
            throw new IllegalArgumentException("member name '" + name + "' " + problem);
        }
    }

    /** Why {@code name} is not a safe member name, or null if it is. */
    private static String nameProblem(String name) {
        if (name.isEmpty() || name.equals(NPY)) {
            return "is empty";
        }
        if (name.startsWith("/") || name.contains("\\") || name.contains(":")) {
            return "looks like a path";
        }
        for (String part : name.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                return "looks like a path";
            }
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                return "contains a control character";
            }
        }
        return null;
    }

    /** Reads every member of {@code file}, checking the archive and each array first. */
    public static Contents read(Path file) {
        requireZipFile(file);
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (IOException e) {
            throw damaged(file, e);
        }
        try (zip) {
            List<ZipEntry> entries = checkedEntries(file, zip);
            Map<String, NdArray> arrays = new LinkedHashMap<>();
            Map<String, byte[]> others = new LinkedHashMap<>();
            for (ZipEntry entry : entries) {
                String name = entry.getName();
                String what = file + " member " + name;
                CRC32 crc = new CRC32();
                try (InputStream in = new CheckedInputStream(
                        new CappedInputStream(zip.getInputStream(entry), entry.getSize(), what), crc)) {
                    if (name.endsWith(NPY)) {
                        arrays.put(name.substring(0, name.length() - NPY.length()), Npy.read(in, entry.getSize(), what));
                    } else {
                        byte[] bytes = in.readNBytes((int) entry.getSize());
                        if (bytes.length < entry.getSize()) {
                            throw new LenetException(what + ": truncated (" + bytes.length + " of " + entry.getSize()
                                    + " bytes); the file is damaged, write it again");
                        }
                        others.put(name, bytes);
                    }
                    in.read(); // fails if the member holds more than it declared
                } catch (IOException e) {
                    throw new LenetException(what + ": cannot read (" + IoReasons.of(e)
                            + "); the file is damaged, write it again", e);
                }
                if (crc.getValue() != entry.getCrc()) {
                    throw new LenetException(what + ": checksum mismatch, the data is corrupt; write the file again");
                }
            }
            return new Contents(arrays, others);
        } catch (IOException e) {
            throw damaged(file, e); // from closing
        }
    }

    /**
     * The bytes of the one member {@code name} that is not an array (e.g. {@code meta.json}), or null
     * when the file has none, with the same checks of the archive as {@link #read} but without
     * reading the arrays: cheap enough to look at many files.
     */
    public static byte[] readMember(Path file, String name) {
        requireZipFile(file);
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (IOException e) {
            throw damaged(file, e);
        }
        try (zip) {
            for (ZipEntry entry : checkedEntries(file, zip)) {
                if (!entry.getName().equals(name)) continue;
                String what = file + " member " + name;
                CRC32 crc = new CRC32();
                byte[] bytes;
                try (InputStream in = new CheckedInputStream(new CappedInputStream(zip.getInputStream(entry), entry.getSize(), what), crc)) {
                    bytes = in.readNBytes((int) entry.getSize());
                    in.read();
                } catch (IOException e) {
                    throw new LenetException(what + ": cannot read (" + IoReasons.of(e) + "); the file is damaged, write it again", e);
                }
                if (bytes.length < entry.getSize() || crc.getValue() != entry.getCrc()) {
                    throw new LenetException(what + ": truncated or corrupt; the file is damaged, write it again");
                }
                return bytes;
            }
            return null;
        } catch (IOException e) {
            throw damaged(file, e);
        }
    }

    /** All entries, after checking their number, names, methods and declared sizes, before any is read. */
    private static List<ZipEntry> checkedEntries(Path file, ZipFile zip) {
        if (zip.size() > MAX_MEMBERS) {
            throw new LenetException(file + ": holds " + zip.size() + " members, more than the " + MAX_MEMBERS
                    + " accepted; is this the right file?");
        }
        List<ZipEntry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        long totalBytes = 0;
        boolean anyArray = false;
        for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
            ZipEntry entry = e.nextElement();
            String name = entry.getName();
            String problem = entry.isDirectory() ? "is a folder" : nameProblem(name);
            if (problem != null) {
                throw new LenetException(file + ": member '" + name.replaceAll("\\p{Cntrl}", "?") + "' " + problem
                        + ", which a .npz never holds; " + FIX_NOT_NPZ);
            }
            if (!names.add(name)) {
                throw new LenetException(file + ": member " + name + " appears twice; the file is damaged, write it again");
            }
            if (entry.getMethod() != ZipEntry.STORED && entry.getMethod() != ZipEntry.DEFLATED) {
                throw new LenetException(file + ": member " + name + " uses zip compression method "
                        + entry.getMethod() + ", which this reader does not support (only stored and deflated); write it with numpy.savez or numpy.savez_compressed");
            }
            if (entry.getSize() < 0) {
                throw new LenetException(file + ": member " + name + " does not declare its size; the file is"
                        + " damaged, write it again");
            }
            if (entry.getSize() > MAX_TOTAL_BYTES - totalBytes) {
                throw new LenetException(file + ": members declare more than " + MAX_TOTAL_BYTES
                        + " bytes in all once expanded (member " + name + " alone " + entry.getSize()
                        + "); refusing to read it, is this the right file?");
            }
            if (!name.endsWith(NPY) && entry.getSize() > MAX_OTHER_MEMBER_BYTES) {
                throw new LenetException(file + ": member " + name + " declares " + entry.getSize() + " bytes, more than the "
                        + MAX_OTHER_MEMBER_BYTES + " accepted for a member that is not an array; is this the right file?");
            }
            totalBytes += entry.getSize();
            anyArray |= name.endsWith(NPY);
            entries.add(entry);
        }
        if (!anyArray) {
            throw new LenetException(file + ": not a .npz checkpoint (the zip archive holds no .npy arrays); "
                    + FIX_NOT_NPZ);
        }
        // Arrays become float32: a member of one-byte values takes four times its size in memory.
        String shortfall = HeapBudget.shortfall(4 * totalBytes);
        if (shortfall != null) {
            throw new LenetException(file + ": its members expand to " + HeapBudget.megabytes(totalBytes) + ", which "
                    + shortfall + "; is this the right file?");
        }
        return entries;
    }

    /** Fails unless {@code file} is a regular, non-empty file that starts like a zip archive. */
    private static void requireZipFile(Path file) {
        if (Files.isDirectory(file)) {
            throw new LenetException(file + ": is a folder, not a .npz file; pass the path of a .npz file");
        }
        RegularFiles.require(file, FIX_NOT_NPZ);
        byte[] start;
        try (InputStream in = Files.newInputStream(file)) {
            start = in.readNBytes(512);
        } catch (IOException e) {
            throw new LenetException(file + ": cannot read (" + IoReasons.of(e) + "); check the file's permissions", e);
        }
        if (start.length == 0) {
            throw new LenetException(file + ": is empty (0 bytes), not a .npz checkpoint; write it again or "
                    + FIX_NOT_NPZ);
        }
        // Every zip starts with a local file header, or an end-of-archive record when it is empty.
        boolean zip = start.length >= 4 && start[0] == 'P' && start[1] == 'K'
                && ((start[2] == 3 && start[3] == 4) || (start[2] == 5 && start[3] == 6));
        if (!zip) {
            throw new LenetException(file + ": not a .npz checkpoint (not a zip archive)" + looksLike(start)
                    + "; " + FIX_NOT_NPZ);
        }
    }

    /** A hint at what a non-zip file is, from its first bytes, e.g. ": it looks like text". */
    private static String looksLike(byte[] start) {
        if (start.length >= 2 && (start[0] & 0xFF) == 0xAC && (start[1] & 0xFF) == 0xED) {
            return ": it is a serialized Java object";
        }
        if (start.length >= 6 && (start[0] & 0xFF) == 0x93 && new String(start, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
            return ": it is a single .npy array";
        }
        if (isText(start)) {
            return ": it looks like text";
        }
        return "";
    }

    private static boolean isText(byte[] start) {
        // The last few bytes may be a UTF-8 character cut in half by the 512-byte read.
        int length = start.length == 512 ? start.length - 3 : start.length;
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(start, 0, length))
                    .toString();
        } catch (CharacterCodingException e) {
            return false;
        }
        return text.chars().allMatch(c -> c >= 0x20 || c == '\n' || c == '\r' || c == '\t');
    }

    private static LenetException damaged(Path file, IOException e) {
        return new LenetException(file + ": damaged .npz checkpoint (" + IoReasons.of(e)
                + "); the file is truncated or corrupt, write it again", e);
    }
}
