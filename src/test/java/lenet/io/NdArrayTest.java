package lenet.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class NdArrayTest {
    @Test
    void equalsComparesShapeAndValuesNotArrayIdentity() {
        NdArray a = new NdArray(new long[] {2, 3}, new float[] {0, 1, 2, 3, 4, 5});
        NdArray same = new NdArray(new long[] {2, 3}, new float[] {0, 1, 2, 3, 4, 5});
        NdArray transposed = new NdArray(new long[] {3, 2}, new float[] {0, 1, 2, 3, 4, 5});

        assertEquals(a, same);
        assertEquals(a.hashCode(), same.hashCode());
        assertNotEquals(a, transposed);
    }

    @Test
    void scalarHasEmptyShapeAndOneValue() {
        NdArray scalar = new NdArray(new long[0], new float[] {3.5f});
        assertEquals("NdArray()[3.5]", scalar.toString());
    }

    @Test
    void toStringShowsShapeAndFirstValues() {
        NdArray bias = new NdArray(new long[] {10}, new float[10]);
        assertEquals("NdArray(10,)[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, ...10 values]", bias.toString());
    }

    @Test
    void dataMustFillTheShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NdArray(new long[] {2, 3}, new float[5]));
        assertEquals("shape (2, 3) holds 6 values but data has 5", e.getMessage());
    }

    @Test
    void shapeIsCopied() {
        long[] shape = {4};
        NdArray a = new NdArray(shape, new float[4]);
        shape[0] = 2;
        assertEquals(4, a.shape()[0]);
    }
}
