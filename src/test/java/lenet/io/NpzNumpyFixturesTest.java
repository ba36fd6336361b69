package lenet.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;

/**
 * Reads archives written by NumPy itself (src/test/resources/npz/make_fixtures.py made them; the
 * values here are the ones that script writes) and checks our writer against NumPy's bytes.
 */
class NpzNumpyFixturesTest {
    private static final Path FIXTURES = Path.of("src/test/resources/npz");

    @Test
    void readsNumpySavez() {
        Npz.Contents contents = Npz.read(FIXTURES.resolve("numpy_savez.npz"));

        assertEquals(List.of("conv1.weight", "conv1.bias", "step", "big_endian"), List.copyOf(contents.arrays().keySet()));
        assertEquals(arange(new long[] {6, 1, 5, 5}, 0.25f, 0), contents.arrays().get("conv1.weight"));
        assertEquals(arange(new long[] {6}, 1, -2.5f), contents.arrays().get("conv1.bias"));
        assertEquals(new NdArray(new long[0], new float[] {1234}), contents.arrays().get("step"));
        assertEquals(arange(new long[] {4}, 2, 0), contents.arrays().get("big_endian"));
        assertEquals(Map.of(), contents.otherMembers());
    }

    @Test
    void readsNumpySavezCompressedFloat64FortranOrderAndUint8() {
        Map<String, NdArray> arrays = Npz.read(FIXTURES.resolve("numpy_savez_compressed.npz")).arrays();

        assertEquals(arange(new long[] {3, 4}, 0.125f, 0), arrays.get("float64"));
        // np.asfortranarray(np.arange(24).reshape(2, 3, 4)): the same values, stored column-major.
        assertEquals(arange(new long[] {2, 3, 4}, 1, 0), arrays.get("fortran"));
        assertEquals(new NdArray(new long[] {2, 2}, new float[] {0, 127, 128, 255}), arrays.get("pixels"));
    }

    @Test
    void ourNpyBytesAreNumpysBytes() throws IOException {
        try (ZipFile numpy = new ZipFile(FIXTURES.resolve("numpy_savez.npz").toFile())) {
            for (String name : List.of("conv1.weight", "conv1.bias", "step")) {
                byte[] expected = numpy.getInputStream(numpy.getEntry(name + ".npy")).readAllBytes();
                NdArray array = Npz.read(FIXTURES.resolve("numpy_savez.npz")).arrays().get(name);
                assertArrayEquals(expected, Npy.write(array), name);
            }
        }
    }

    /** {@code scale * i + offset} for i = 0, 1, 2, ... in C order, like {@code np.arange(n).reshape(shape)}. */
    private static NdArray arange(long[] shape, float scale, float offset) {
        long n = 1;
        for (long dim : shape) {
            n *= dim;
        }
        float[] data = new float[(int) n];
        for (int i = 0; i < data.length; i++) {
            data[i] = scale * i + offset;
        }
        return new NdArray(shape, data);
    }
}
