package lenet.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import lenet.LenetException;

/**
 * NumPy's {@code .npy} format: a magic string, a version, a header that is a Python dict literal
 * ({@code descr}, {@code fortran_order}, {@code shape}), then the raw values.
 *
 * <p>{@link #write} always produces version 1.0, little-endian float32, C order, byte for byte what
 * {@code numpy.save} writes for the same array. {@link #read} accepts versions 1.0, 2.0 and 3.0,
 * float32 and float64 in either byte order, a few integer types, and Fortran order; it checks the
 * whole header and the data size before it allocates anything, and every failure is a
 * {@link LenetException} naming the source. Format reference:
 * https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
 */
public final class Npy {
    /** Longest header accepted; NumPy writes about 128 bytes, and refuses over 10,000 by default. */
    public static final int MAX_HEADER_BYTES = 64 * 1024;
    /** Most elements in one array: 400 MB of float32, far above LeNet's largest weight. */
    public static final long MAX_ELEMENTS = 100_000_000L;

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    // NumPy aligns the data to 64 bytes and leaves room in the header for the first dimension to
    // grow to 21 digits (numpy/lib/format.py); doing the same makes our files identical to its own.
    private static final int ALIGN = 64;
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;
    private static final int MAX_DIMENSIONS = 32;
    private static final int CHUNK_BYTES = 64 * 1024;
    // Memory grows with the bytes actually read, so a header that lies about its shape costs little.
    private static final int FIRST_ALLOCATION = 1 << 20;

    private Npy() {
    }

    /** The whole {@code .npy} file for {@code array}. */
    public static byte[] write(NdArray array) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128 + 4 * array.data().length);
        try {
            write(array, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    /** Writes {@code array} as a version 1.0 {@code '<f4'} {@code .npy} file; does not close {@code out}. */
    public static void write(NdArray array, OutputStream out) throws IOException {
        out.write(header(array.shape()));
        float[] data = array.data();
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int start = 0; start < data.length; start += CHUNK_BYTES / 4) {
            int count = Math.min(CHUNK_BYTES / 4, data.length - start);
            chunk.clear();
            chunk.asFloatBuffer().put(data, start, count);
            out.write(chunk.array(), 0, 4 * count);
        }
    }

    private static byte[] header(long[] shape) {
        StringBuilder dict = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': ")
                .append(NdArray.shapeString(shape))
                .append(", }");
        if (shape.length > 0) {
            dict.append(" ".repeat(GROWTH_AXIS_MAX_DIGITS - Long.toString(shape[0]).length()));
        }
        // magic (6) + version (2) + length (2) + dict + padding + '\n' is a multiple of 64;
        // like NumPy, a dict that already fits exactly still gets a full 64 bytes of padding.
        int padding = ALIGN - (MAGIC.length + 2 + 2 + dict.length() + 1) % ALIGN;
        dict.append(" ".repeat(padding)).append('\n');
        byte[] text = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
        if (text.length > 0xFFFF) {
            throw new IllegalArgumentException("shape " + NdArray.shapeString(shape) + " too long for a .npy header");
        }
        ByteBuffer header = ByteBuffer.allocate(MAGIC.length + 4 + text.length).order(ByteOrder.LITTLE_ENDIAN);
        header.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length).put(text);
        return header.array();
    }

    /**
     * Reads one {@code .npy} array from {@code in}, converting its values to float32 in C order.
     *
     * @param declaredSize the total size of the {@code .npy} in bytes if known (a zip entry's size),
     *                     or -1; when known, the data must fill it exactly
     * @param what         names the source in error messages, e.g. {@code runs/a/last.npz member fc1.weight.npy}
     */
    public static NdArray read(InputStream in, long declaredSize, String what) {
        try {
            return readChecked(in, declaredSize, what);
        } catch (IOException e) {
            throw new LenetException(what + ": cannot read the .npy data (" + IoReasons.of(e)
                    + "); the file is damaged, write it again", e);
        }
    }

    private static NdArray readChecked(InputStream in, long declaredSize, String what) throws IOException {
        byte[] preamble = in.readNBytes(MAGIC.length + 2);
        if (preamble.length == 0) {
            throw new LenetException(what + ": is empty, not a .npy array; write it again with numpy.save");
        }
        int compared = Math.min(preamble.length, MAGIC.length);
        if (!Arrays.equals(preamble, 0, compared, MAGIC, 0, compared)) {
            throw new LenetException(what + ": not a .npy array (it does not start with \\x93NUMPY);"
                    + " write it with numpy.save");
        }
        if (preamble.length < MAGIC.length + 2) {
            throw truncated(what, "inside its preamble");
        }
        int major = preamble[6] & 0xFF;
        int minor = preamble[7] & 0xFF;
        if (minor != 0 || major < 1 || major > 3) {
            throw new LenetException(what + ": unsupported .npy format version " + major + "." + minor
                    + " (this reader knows 1.0, 2.0 and 3.0); write it again with numpy.save");
        }
        // Version 1.0 stores the header length in 2 bytes; 2.0 and 3.0 in 4. 3.0 allows UTF-8.
        int lengthBytes = major == 1 ? 2 : 4;
        byte[] lengthField = in.readNBytes(lengthBytes);
        if (lengthField.length < lengthBytes) {
            throw truncated(what, "inside its header length");
        }
        ByteBuffer length = ByteBuffer.wrap(lengthField).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = major == 1 ? length.getShort() & 0xFFFFL : length.getInt() & 0xFFFFFFFFL;
        long headerEnd = preamble.length + lengthBytes + headerLength;
        if (headerLength > MAX_HEADER_BYTES) {
            throw new LenetException(what + ": .npy header says it is " + headerLength + " bytes long, more than the "
                    + MAX_HEADER_BYTES + " accepted; the file is damaged or was not written by NumPy");
        }
        if (declaredSize >= 0 && headerEnd > declaredSize) {
            throw truncated(what, "inside its header: " + declaredSize + " bytes in all, the header needs " + headerEnd);
        }
        byte[] headerBytes = in.readNBytes((int) headerLength);
        if (headerBytes.length < headerLength) {
            throw truncated(what, "inside its header");
        }
        String headerText = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Header header = Header.parse(headerText, what);

        long count = elementCount(header.shape, what);
        long dataBytes = count * header.dtype.size; // no overflow: count <= MAX_ELEMENTS
        if (declaredSize >= 0 && declaredSize - headerEnd != dataBytes) {
            throw new LenetException(what + ": shape " + NdArray.shapeString(header.shape) + " of '"
                    + header.dtype.descr + "' needs " + dataBytes + " bytes of data but " + (declaredSize - headerEnd)
                    + " follow the header; the file is damaged or truncated, write it again");
        }
        float[] data = readData(in, (int) count, header.dtype, what);
        if (header.fortranOrder && header.shape.length > 1) {
            data = fortranToC(data, header.shape);
        }
        return new NdArray(header.shape, data);
    }

    private static long elementCount(long[] shape, String what) {
        long count = 1;
        for (long dim : shape) {
            try {
                count = Math.multiplyExact(count, dim);
            } catch (ArithmeticException e) {
                count = Long.MAX_VALUE;
            }
        }
        if (count > MAX_ELEMENTS) {
            throw new LenetException(what + ": shape " + NdArray.shapeString(shape) + " has "
                    + (count == Long.MAX_VALUE ? "too many" : Long.toString(count)) + " elements, more than the "
                    + MAX_ELEMENTS + " this reader accepts; is this the right file?");
        }
        return count;
    }

    private static float[] readData(InputStream in, int count, Dtype dtype, String what) throws IOException {
        float[] data = new float[Math.min(count, FIRST_ALLOCATION)];
        byte[] chunk = new byte[CHUNK_BYTES];
        int filled = 0;
        while (filled < count) {
            int n = Math.min(CHUNK_BYTES / dtype.size, count - filled);
            int got = in.readNBytes(chunk, 0, n * dtype.size);
            if (got < n * dtype.size) {
                throw truncated(what, "inside its data: " + ((long) filled * dtype.size + got) + " of "
                        + ((long) count * dtype.size) + " bytes present");
            }
            if (filled + n > data.length) {
                data = Arrays.copyOf(data, (int) Math.min(count, Math.max(2L * data.length, filled + n)));
            }
            dtype.decode(ByteBuffer.wrap(chunk, 0, got).order(dtype.order), data, filled, n);
            filled += n;
        }
        return data;
    }

    /** Reorders column-major values (first index fastest) into row-major (last index fastest). */
    private static float[] fortranToC(float[] fortran, long[] shape) {
        int rank = shape.length;
        long[] fortranStride = new long[rank];
        long stride = 1;
        for (int axis = 0; axis < rank; axis++) {
            fortranStride[axis] = stride;
            stride *= shape[axis];
        }
        float[] c = new float[fortran.length];
        long[] index = new long[rank];
        long offset = 0; // position in `fortran` of the element at `index`
        for (int i = 0; i < c.length; i++) {
            c[i] = fortran[(int) offset];
            for (int axis = rank - 1; axis >= 0; axis--) {
                index[axis]++;
                offset += fortranStride[axis];
                if (index[axis] < shape[axis]) {
                    break;
                }
                offset -= fortranStride[axis] * shape[axis];
                index[axis] = 0;
            }
        }
        return c;
    }

    private static LenetException truncated(String what, String where) {
        return new LenetException(what + ": truncated .npy array (it ends " + where
                + "); the file was cut short, write it again");
    }

    /** The element types this reader converts to float32, by NumPy's {@code descr} string. */
    private enum Dtype {
        F4_LITTLE("<f4", 4, ByteOrder.LITTLE_ENDIAN),
        F4_BIG(">f4", 4, ByteOrder.BIG_ENDIAN),
        F8_LITTLE("<f8", 8, ByteOrder.LITTLE_ENDIAN),
        F8_BIG(">f8", 8, ByteOrder.BIG_ENDIAN),
        U1("|u1", 1, ByteOrder.LITTLE_ENDIAN),
        I4_LITTLE("<i4", 4, ByteOrder.LITTLE_ENDIAN),
        I4_BIG(">i4", 4, ByteOrder.BIG_ENDIAN),
        I8_LITTLE("<i8", 8, ByteOrder.LITTLE_ENDIAN),
        I8_BIG(">i8", 8, ByteOrder.BIG_ENDIAN);

        final String descr;
        final int size;
        final ByteOrder order;

        Dtype(String descr, int size, ByteOrder order) {
            this.descr = descr;
            this.size = size;
            this.order = order;
        }

        static Dtype of(String descr) {
            for (Dtype dtype : values()) {
                if (dtype.descr.equals(descr)) {
                    return dtype;
                }
            }
            return null;
        }

        static String supported() {
            StringBuilder names = new StringBuilder();
            for (Dtype dtype : values()) {
                names.append(names.length() == 0 ? "" : ", ").append(dtype.descr);
            }
            return names.toString();
        }

        /** Converts {@code n} values from {@code bytes} into {@code out[at..at+n)}. */
        void decode(ByteBuffer bytes, float[] out, int at, int n) {
            switch (this) {
                case F4_LITTLE, F4_BIG -> bytes.asFloatBuffer().get(out, at, n);
                case F8_LITTLE, F8_BIG -> {
                    for (int i = 0; i < n; i++) {
                        out[at + i] = (float) bytes.getDouble();
                    }
                }
                case U1 -> {
                    for (int i = 0; i < n; i++) {
                        out[at + i] = bytes.get() & 0xFF;
                    }
                }
                case I4_LITTLE, I4_BIG -> {
                    for (int i = 0; i < n; i++) {
                        out[at + i] = bytes.getInt();
                    }
                }
                case I8_LITTLE, I8_BIG -> {
                    for (int i = 0; i < n; i++) {
                        out[at + i] = bytes.getLong();
                    }
                }
            }
        }
    }

    /** The three fields of a {@code .npy} header, checked as NumPy checks them. */
    private record Header(Dtype dtype, boolean fortranOrder, long[] shape) {
        static Header parse(String text, String what) {
            Object parsed;
            try {
                parsed = new PythonLiteral(text).parseWhole();
            } catch (PythonLiteral.SyntaxError e) {
                throw badHeader(what, e.getMessage(), text);
            }
            if (!(parsed instanceof Map<?, ?> dict)) {
                throw badHeader(what, "it is not a dict", text);
            }
            if (!dict.keySet().equals(java.util.Set.of("descr", "fortran_order", "shape"))) {
                throw badHeader(what, "its keys must be exactly 'descr', 'fortran_order' and 'shape'", text);
            }
            Object descr = dict.get("descr");
            Dtype dtype = descr instanceof String name ? Dtype.of(name) : null;
            if (dtype == null) {
                String shown = descr instanceof String name ? "'" + printable(name) + "'" : "a structured dtype";
                throw new LenetException(what + ": unsupported dtype " + shown + " (this reader accepts "
                        + Dtype.supported() + "); save it as float32, e.g. numpy.save(f, a.astype('float32'))");
            }
            if (!(dict.get("fortran_order") instanceof Boolean fortranOrder)) {
                throw badHeader(what, "'fortran_order' must be True or False", text);
            }
            if (!(dict.get("shape") instanceof Tuple tuple)) {
                throw badHeader(what, "'shape' must be a tuple of integers", text);
            }
            if (tuple.items().size() > MAX_DIMENSIONS) {
                throw badHeader(what, "'shape' has more than " + MAX_DIMENSIONS + " dimensions", text);
            }
            long[] shape = new long[tuple.items().size()];
            for (int axis = 0; axis < shape.length; axis++) {
                if (!(tuple.items().get(axis) instanceof Long dim) || dim < 0) {
                    throw badHeader(what, "'shape' must be a tuple of integers >= 0", text);
                }
                shape[axis] = dim;
            }
            return new Header(dtype, fortranOrder, shape);
        }

        private static LenetException badHeader(String what, String problem, String text) {
            String shown = printable(text.strip());
            return new LenetException(what + ": cannot read the .npy header (" + problem + "): " + shown
                    + "; the file is damaged or was not written by NumPy");
        }
    }

    /** {@code text} as printable ASCII (anything else shown as ?), at most 120 characters: it comes from a file and may hold any bytes. */
    private static String printable(String text) {
        String shown = text.replaceAll("[^\\x20-\\x7e]", "?");
        return shown.length() > 120 ? shown.substring(0, 120) + "..." : shown;
    }

    /** A Python tuple, told apart from a list because NumPy requires {@code shape} to be a tuple. */
    private record Tuple(List<Object> items) {
    }

    /**
     * The subset of Python literals a {@code .npy} header uses: dicts, tuples, lists, strings in
     * either quote style (without escapes), integers, True, False, with optional trailing commas.
     */
    private static final class PythonLiteral {
        // Deep nesting would otherwise overflow the stack on a hostile header.
        private static final int MAX_DEPTH = 8;

        static final class SyntaxError extends Exception {
            SyntaxError(String message) {
                super(message, null, false, false);
            }
        }

        private final String text;
        private int pos;

        PythonLiteral(String text) {
            this.text = text;
        }

        Object parseWhole() throws SyntaxError {
            Object value = value(0);
            skipSpace();
            if (pos < text.length()) {
                throw error("unexpected '" + text.charAt(pos) + "' after the dict");
            }
            return value;
        }

        private Object value(int depth) throws SyntaxError {
            if (depth > MAX_DEPTH) {
                throw error("nested too deeply");
            }
            skipSpace();
            if (pos >= text.length()) {
                throw error("it ends early");
            }
            char c = text.charAt(pos);
            if (c == '{') {
                return dict(depth);
            }
            if (c == '(' || c == '[') {
                return sequence(depth);
            }
            if (c == '\'' || c == '"') {
                return string();
            }
            if (c == '-' || isDigit(c)) {
                return integer();
            }
            if (text.startsWith("True", pos)) {
                pos += 4;
                return Boolean.TRUE;
            }
            if (text.startsWith("False", pos)) {
                pos += 5;
                return Boolean.FALSE;
            }
            throw error("unexpected '" + c + "'");
        }

        private Map<String, Object> dict(int depth) throws SyntaxError {
            pos++; // '{'
            Map<String, Object> dict = new LinkedHashMap<>();
            while (true) {
                skipSpace();
                if (peek() == '}') {
                    pos++;
                    return dict;
                }
                Object key = value(depth + 1);
                if (!(key instanceof String name)) {
                    throw error("a dict key is not a string");
                }
                skipSpace();
                expect(':');
                Object value = value(depth + 1);
                if (dict.put(name, value) != null) {
                    throw error("key '" + name + "' appears twice");
                }
                skipSpace();
                if (peek() == ',') {
                    pos++;
                } else if (peek() != '}') {
                    throw error("expected ',' or '}'");
                }
            }
        }

        /** A tuple or list; {@code (3)} is just 3 in Python, so a tuple needs a comma unless empty. */
        private Object sequence(int depth) throws SyntaxError {
            char close = text.charAt(pos) == '(' ? ')' : ']';
            pos++;
            List<Object> items = new ArrayList<>();
            boolean sawComma = false;
            while (true) {
                skipSpace();
                if (peek() == close) {
                    pos++;
                    break;
                }
                items.add(value(depth + 1));
                skipSpace();
                if (peek() == ',') {
                    pos++;
                    sawComma = true;
                } else if (peek() != close) {
                    throw error("expected ',' or '" + close + "'");
                }
            }
            if (close == ']') {
                return items;
            }
            return items.size() == 1 && !sawComma ? items.get(0) : new Tuple(items);
        }

        private String string() throws SyntaxError {
            char quote = text.charAt(pos++);
            int start = pos;
            while (pos < text.length() && text.charAt(pos) != quote) {
                if (text.charAt(pos) == '\\' || text.charAt(pos) == '\n') {
                    throw error("unsupported character in a string");
                }
                pos++;
            }
            if (pos >= text.length()) {
                throw error("a string is not closed");
            }
            return text.substring(start, pos++);
        }

        private Long integer() throws SyntaxError {
            int start = pos;
            if (text.charAt(pos) == '-') {
                pos++;
            }
            while (pos < text.length() && isDigit(text.charAt(pos))) {
                pos++;
            }
            try {
                return Long.parseLong(text.substring(start, pos));
            } catch (NumberFormatException e) {
                throw error("'" + text.substring(start, pos) + "' is not a usable integer");
            }
        }

        private void expect(char c) throws SyntaxError {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        private char peek() throws SyntaxError {
            if (pos >= text.length()) {
                throw error("it ends early");
            }
            return text.charAt(pos);
        }

        private void skipSpace() {
            while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
                pos++;
            }
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        private SyntaxError error(String problem) {
            return new SyntaxError(problem + " at character " + pos);
        }
    }
}
