package lenet.train;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One memory workspace per training or evaluation step.
 *
 * <p>ND4J keeps array data off the Java heap and frees it only when the garbage collector collects
 * the array object; the heap barely fills, so without a workspace the process grows by gigabytes
 * over a run. Inside a workspace every array a step creates lives in one arena that is reused by
 * the next step. Parameters, gradients and optimizer state are created outside and updated in
 * place; nothing created inside may be kept after the step (copy numbers out as Java values).
 */
final class Workspaces {
    private Workspaces() {}

    private static final WorkspaceConfiguration STEP = WorkspaceConfiguration.builder()
            .initialSize(0)
            .policyAllocation(AllocationPolicy.STRICT)
            .policyLearning(LearningPolicy.FIRST_LOOP)
            .policyReset(ResetPolicy.BLOCK_LEFT)
            .policySpill(SpillPolicy.REALLOCATE)
            .build();

    /** Opens the per-step workspace named {@code id}; close it (try-with-resources) to end the step. */
    static MemoryWorkspace step(String id) {
        return Nd4j.getWorkspaceManager().getAndActivateWorkspace(STEP, id);
    }
}
