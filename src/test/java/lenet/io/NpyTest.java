package lenet.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import lenet.LenetException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NpyTest {
    private static final String WHAT = "test.npz member a.npy";

    @Test
    void headerIsByteForByteWhatNumpySaveWrites() {
        byte[] npy = Npy.write(new NdArray(new long[] {2, 3}, new float[] {0, 1, 2, 3, 4, 5}));

        // numpy.save(f, np.zeros((2, 3), np.float32)) starts with exactly these 128 bytes: magic, version 1.0,
        // header length 118 (little-endian), the dict, 20 spaces of room for the first dimension to grow
        // plus padding so the data starts at a multiple of 64, and a newline.
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
        String expected = "\u0093NUMPY\u0001\u0000\u0076\u0000" + dict + " ".repeat(58) + "\n";
        assertEquals(expected, new String(npy, 0, 128, StandardCharsets.ISO_8859_1));
        assertEquals(128 + 6 * 4, npy.length);
        assertEquals(1.0f, ByteBuffer.wrap(npy, 128 + 4, 4).order(ByteOrder.LITTLE_ENDIAN).getFloat());
    }

    @Test
    void scalarHeaderHasEmptyTupleAndNoGrowthRoom() {
        byte[] npy = Npy.write(new NdArray(new long[0], new float[] {7}));
        String header = new String(npy, 10, npy.length - 14, StandardCharsets.ISO_8859_1);
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (), }  "), header);
        assertEquals(128, npy.length - 4);
    }

    @Test
    void everyHeaderEndsWithNewlineOnA64ByteBoundary() {
        for (long[] shape : new long[][] {{}, {1}, {10}, {6, 1, 5, 5}, {123456789, 0}, {1, 2, 3, 4, 5, 6, 7, 8}}) {
            byte[] npy = Npy.write(new NdArray(shape, new float[0 == product(shape) ? 0 : (int) product(shape)]));
            int headerEnd = 10 + (npy[8] & 0xFF | (npy[9] & 0xFF) << 8);
            assertEquals(0, headerEnd % 64, Arrays.toString(shape));
            assertEquals('\n', npy[headerEnd - 1], Arrays.toString(shape));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"6,1,5,5", "10", "", "0", "3,0,2"})
    void writeThenReadGivesTheSameArray(String dims) {
        long[] shape = dims.isEmpty() ? new long[0] : Arrays.stream(dims.split(",")).mapToLong(Long::parseLong).toArray();
        float[] data = new float[(int) product(shape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = i * 0.25f - 3;
        }
        NdArray array = new NdArray(shape, data);
        byte[] npy = Npy.write(array);

        assertEquals(array, Npy.read(new ByteArrayInputStream(npy), npy.length, WHAT));
        assertEquals(array, Npy.read(new ByteArrayInputStream(npy), -1, WHAT));
    }

    @Test
    void specialFloatValuesSurviveExactly() {
        float[] data = {Float.NaN, Float.POSITIVE_INFINITY, -0.0f, Float.MIN_VALUE, Float.MAX_VALUE};
        NdArray array = new NdArray(new long[] {5}, data);
        assertEquals(array, Npy.read(new ByteArrayInputStream(Npy.write(array)), -1, WHAT));
    }

    @Test
    void writeToStreamMatchesWriteToBytes() throws Exception {
        NdArray array = new NdArray(new long[] {100_000}, new float[100_000]); // more than one chunk
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(array, out);
        assertArrayEquals(Npy.write(array), out.toByteArray());
    }

    @Test
    void readsLittleEndianFloat64AsFloat32() {
        byte[] npy = npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }",
                values(ByteOrder.LITTLE_ENDIAN, 8, 0.5, -2.25, 1e-3));
        assertEquals(new NdArray(new long[] {3}, new float[] {0.5f, -2.25f, 1e-3f}), read(npy));
    }

    @Test
    void readsBigEndianFloat32AndFloat64() {
        byte[] f4 = npy(1, "{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }",
                values(ByteOrder.BIG_ENDIAN, 4, 1.5, -8));
        byte[] f8 = npy(1, "{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }",
                values(ByteOrder.BIG_ENDIAN, 8, 1.5, -8));
        NdArray expected = new NdArray(new long[] {2}, new float[] {1.5f, -8});
        assertEquals(expected, read(f4));
        assertEquals(expected, read(f8));
    }

    @Test
    void readsIntegerTypesAsFloats() {
        byte[] u1 = npy(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }", new byte[] {0, 127, (byte) 255});
        byte[] i4 = npy(1, "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }",
                ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(-7).putInt(42).array());
        byte[] i8 = npy(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }",
                ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).array());
        assertEquals(new NdArray(new long[] {3}, new float[] {0, 127, 255}), read(u1));
        assertEquals(new NdArray(new long[] {2}, new float[] {-7, 42}), read(i4));
        assertEquals(new NdArray(new long[] {1}, new float[] {1L << 40}), read(i8));
    }

    @Test
    void fortranOrderIsConvertedToCOrder() {
        // The 2x3 matrix [[0, 1, 2], [3, 4, 5]] stored column by column.
        byte[] npy = npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }",
                values(ByteOrder.LITTLE_ENDIAN, 4, 0, 3, 1, 4, 2, 5));
        assertEquals(new NdArray(new long[] {2, 3}, new float[] {0, 1, 2, 3, 4, 5}), read(npy));
    }

    @Test
    void fortranOrder3dIsConvertedToCOrder() {
        // a[i, j, k] = 100 i + 10 j + k for shape (2, 3, 4), written with i varying fastest.
        double[] fortran = new double[24];
        float[] c = new float[24];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    fortran[i + 2 * j + 6 * k] = 100 * i + 10 * j + k;
                    c[12 * i + 4 * j + k] = 100 * i + 10 * j + k;
                }
            }
        }
        byte[] npy = npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3, 4), }",
                values(ByteOrder.LITTLE_ENDIAN, 4, fortran));
        assertEquals(new NdArray(new long[] {2, 3, 4}, c), read(npy));
    }

    @Test
    void readsVersion2And3Headers() {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
        byte[] data = values(ByteOrder.LITTLE_ENDIAN, 4, 1, 2);
        NdArray expected = new NdArray(new long[] {2}, new float[] {1, 2});
        assertEquals(expected, read(npy(2, dict, data)));
        assertEquals(expected, read(npy(3, dict, data)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (2,)}",
            "{'shape':(2,),'fortran_order':False,'descr':'<f4',}",
            "{ 'descr' : '<f4' ,\n 'fortran_order' : False , 'shape' : ( 2 , ) , }",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\n",
    })
    void headerParserAcceptsAnyPythonSpellingOfTheDict(String dict) {
        byte[] npy = npy(1, dict, values(ByteOrder.LITTLE_ENDIAN, 4, 1, 2));
        assertEquals(new NdArray(new long[] {2}, new float[] {1, 2}), read(npy));
    }

    @Test
    void emptyInput() {
        assertMessage("test.npz member a.npy: is empty, not a .npy array; write it again with numpy.save", new byte[0]);
    }

    @Test
    void badMagic() {
        byte[] npy = Npy.write(new NdArray(new long[] {1}, new float[1]));
        npy[1] = 'n';
        assertMessage("test.npz member a.npy: not a .npy array (it does not start with \\x93NUMPY);"
                + " write it with numpy.save", npy);
    }

    @Test
    void unknownVersion() {
        byte[] npy = Npy.write(new NdArray(new long[] {1}, new float[1]));
        npy[6] = 4;
        assertMessage("test.npz member a.npy: unsupported .npy format version 4.0 (this reader knows 1.0, 2.0 and 3.0);"
                + " write it again with numpy.save", npy);
    }

    @Test
    void unsupportedDtype() {
        byte[] npy = npy(1, "{'descr': '<i2', 'fortran_order': False, 'shape': (2,), }", new byte[4]);
        assertMessage("test.npz member a.npy: unsupported dtype '<i2' (this reader accepts <f4, >f4, <f8, >f8, |u1,"
                + " <i4, >i4, <i8, >i8); save it as float32, e.g. numpy.save(f, a.astype('float32'))", npy);
    }

    @Test
    void structuredDtype() {
        byte[] npy = npy(1, "{'descr': [('x', '<f4'), ('y', '<f4')], 'fortran_order': False, 'shape': (1,), }", new byte[8]);
        assertTrue(message(npy).startsWith("test.npz member a.npy: unsupported dtype a structured dtype"), message(npy));
    }

    @Test
    void headerLongerThanTheLimit() {
        byte[] npy = Npy.write(new NdArray(new long[] {1}, new float[1]));
        ByteBuffer.wrap(npy).order(ByteOrder.LITTLE_ENDIAN).put(6, (byte) 2).putShort(8, (short) 0).putShort(10, (short) 0x10);
        assertMessage("test.npz member a.npy: .npy header says it is 1048576 bytes long, more than the 65536 accepted;"
                + " the file is damaged or was not written by NumPy", npy);
    }

    @Test
    void headerThatIsNotADict() {
        assertMessage("test.npz member a.npy: cannot read the .npy header (unexpected 'h' at character 0): hello;"
                + " the file is damaged or was not written by NumPy", npy(1, "hello", new byte[0]));
        assertMessage("test.npz member a.npy: cannot read the .npy header (it is not a dict): ('<f4', False);"
                + " the file is damaged or was not written by NumPy", npy(1, "('<f4', False)", new byte[0]));
    }

    @Test
    void headerWithMissingOrExtraKeys() {
        String expected = "test.npz member a.npy: cannot read the .npy header (its keys must be exactly 'descr',"
                + " 'fortran_order' and 'shape'): ";
        assertTrue(message(npy(1, "{'descr': '<f4', 'shape': (1,)}", new byte[4])).startsWith(expected));
        assertTrue(message(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}", new byte[4]))
                .startsWith(expected));
    }

    @Test
    void shapeThatIsNotATupleOfNaturalNumbers() {
        for (String shape : new String[] {"(2)", "[2]", "(-1,)", "('2',)", "(2, True)", "2"}) {
            String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + "}";
            assertTrue(message(npy(1, dict, new byte[8])).contains("'shape' must be a tuple of integers"), shape);
        }
    }

    @Test
    void deeplyNestedHeaderIsRejectedWithoutStackOverflow() {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + "(".repeat(30_000) + "}";
        assertTrue(message(npy(2, dict, new byte[0])).contains("(nested too deeply at character "));
    }

    @Test
    void hugeShapeIsRejectedBeforeAllocating() {
        byte[] npy = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000, 100), }", new byte[8]);
        assertMessage("test.npz member a.npy: shape (100000, 100000, 100) has 1000000000000 elements, more than the"
                + " 100000000 this reader accepts; is this the right file?", npy);
    }

    @Test
    void shapeWhoseProductOverflowsIsRejected() {
        byte[] npy = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }", new byte[8]);
        assertMessage("test.npz member a.npy: shape (4294967296, 4294967296) has too many elements, more than the"
                + " 100000000 this reader accepts; is this the right file?", npy);
    }

    @Test
    void dataSizeMustMatchTheDeclaredSize() {
        byte[] npy = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (99000000,), }", new byte[8]);
        String message = assertThrows(LenetException.class,
                () -> Npy.read(new ByteArrayInputStream(npy), npy.length, WHAT)).getMessage();
        assertEquals("test.npz member a.npy: shape (99000000,) of '<f4' needs 396000000 bytes of data but 8 follow"
                + " the header; the file is damaged or truncated, write it again", message);
    }

    @Test
    void truncatedDataOfUnknownSizeFailsWithoutAllocatingTheClaimedShape() {
        // 99 million floats would be 396 MB; memory grows only with the bytes that are really there.
        byte[] npy = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (99000000,), }", new byte[8]);
        String message = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertThrows(LenetException.class,
                () -> Npy.read(new ByteArrayInputStream(npy), -1, WHAT)).getMessage());
        assertEquals("test.npz member a.npy: truncated .npy array (it ends inside its data: 8 of 396000000 bytes"
                + " present); the file was cut short, write it again", message);
    }

    @Test
    void truncatedHeader() {
        byte[] npy = Arrays.copyOf(Npy.write(new NdArray(new long[] {1}, new float[1])), 40);
        assertMessage("test.npz member a.npy: truncated .npy array (it ends inside its header: 40 bytes in all,"
                + " the header needs 128); the file was cut short, write it again", npy);
        String unknownSize = assertThrows(LenetException.class,
                () -> Npy.read(new ByteArrayInputStream(npy), -1, WHAT)).getMessage();
        assertEquals("test.npz member a.npy: truncated .npy array (it ends inside its header);"
                + " the file was cut short, write it again", unknownSize);
    }

    // Builds a .npy by hand: any version, any header text (padded to 64 bytes like NumPy), any data.
    static byte[] npy(int major, String dict, byte[] data) {
        int lengthBytes = major == 1 ? 2 : 4;
        byte[] text = dict.getBytes(StandardCharsets.UTF_8);
        int headerLength = text.length + 1 + (64 - (8 + lengthBytes + text.length + 1) % 64) % 64;
        ByteBuffer npy = ByteBuffer.allocate(8 + lengthBytes + headerLength + data.length).order(ByteOrder.LITTLE_ENDIAN);
        npy.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) {
            npy.putShort((short) headerLength);
        } else {
            npy.putInt(headerLength);
        }
        npy.put(text).put(" ".repeat(headerLength - text.length - 1).getBytes(StandardCharsets.US_ASCII)).put((byte) '\n');
        return npy.put(data).array();
    }

    static byte[] values(ByteOrder order, int size, double... values) {
        ByteBuffer bytes = ByteBuffer.allocate(size * values.length).order(order);
        for (double v : values) {
            if (size == 4) {
                bytes.putFloat((float) v);
            } else {
                bytes.putDouble(v);
            }
        }
        return bytes.array();
    }

    private static NdArray read(byte[] npy) {
        return Npy.read(new ByteArrayInputStream(npy), npy.length, WHAT);
    }

    private static String message(byte[] npy) {
        return assertThrows(LenetException.class, () -> read(npy)).getMessage();
    }

    private static void assertMessage(String expected, byte[] npy) {
        assertEquals(expected, message(npy));
    }

    private static long product(long[] shape) {
        return Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    }
}
