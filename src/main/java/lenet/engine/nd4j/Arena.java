package lenet.engine.nd4j;

import java.nio.ByteOrder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One memory workspace per call (a training step, a batch of logits).
 *
 * <p>ND4J keeps array data off the Java heap and frees it only when the garbage collector collects
 * the array object; the heap barely fills, so without a workspace the process grows by gigabytes
 * over a run. Inside a workspace every array a call creates lives in one arena that the next call
 * on the same thread reuses. Parameters, gradients, optimizer state and buffers are created outside
 * and updated in place; nothing created inside may be kept after the call (copy numbers out as
 * Java arrays first). Workspaces belong to a thread, so concurrent calls each have their own.
 */
final class Arena {
    private Arena() {}

    private static final WorkspaceConfiguration STEP = WorkspaceConfiguration.builder()
            .initialSize(0)
            .policyAllocation(AllocationPolicy.STRICT)
            .policyLearning(LearningPolicy.FIRST_LOOP)
            .policyReset(ResetPolicy.BLOCK_LEFT)
            .policySpill(SpillPolicy.REALLOCATE)
            .build();

    /** Opens this thread's workspace named {@code id}; close it (try-with-resources) to end the call. */
    static MemoryWorkspace open(String id) {
        return Nd4j.getWorkspaceManager().getAndActivateWorkspace(STEP, id);
    }

    /**
     * Samples {@code from .. from + n} of {@code input} (each {@code shape}'s size of values, one after
     * another) as a float32 [n, shape...] array in the open workspace, copied straight into its memory.
     */
    static INDArray batch(float[] input, int from, int n, int[] shape) {
        long[] dims = new long[shape.length + 1];
        dims[0] = n;
        int size = 1;
        for (int d = 0; d < shape.length; d++) {
            dims[d + 1] = shape[d];
            size *= shape[d];
        }
        INDArray x = Nd4j.createUninitialized(DataType.FLOAT, dims);
        x.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer().put((int) x.offset(), input, from * size, n * size);
        return x;
    }

    /** {@code a}'s values in C order as a Java array (a copy that outlives the workspace). */
    static float[] floats(INDArray a) {
        return a.castTo(DataType.FLOAT).dup('c').reshape(a.length()).toFloatVector();
    }
}
