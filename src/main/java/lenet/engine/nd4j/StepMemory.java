package lenet.engine.nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import lenet.io.HeapBudget;
import lenet.model.LeNet;

/**
 * What one training step of LeNet costs in memory, so a batch that cannot fit is refused before
 * training starts instead of ending in an out-of-memory error.
 *
 * <p>Measured with {@code scripts/lenet train --limit B --batch-size B --epochs 1} (peak resident
 * memory, 256 MB heap): 551 MB at B = 512, 746 MB at 2048, 949 MB at 4096, so about
 * {@value #BYTES_PER_IMAGE} bytes an image (activations, gradients and kernel scratch, off the
 * Java heap) on top of about 500 MB for the JVM, the heap and ND4J's libraries. Off-heap memory
 * is bounded by JavaCPP, which refuses to let the process grow past
 * {@code org.bytedeco.javacpp.maxPhysicalBytes} (by default its maxBytes plus 3 times the Java
 * heap: 1 GB for a 256 MB heap), and by the memory the machine has available.
 */
public final class StepMemory {
    /** Off-heap bytes a training step needs per image of the batch (measured above, rounded up). */
    static final long BYTES_PER_IMAGE = 128 * 1024;
    /** The resident memory of a training process before its batch: JVM, heap, ND4J's native libraries. */
    static final long BASE_BYTES = 500L << 20;
    private static final long PIXELS = (long) LeNet.INPUT_SHAPE[1] * LeNet.INPUT_SHAPE[2];

    private StepMemory() {}

    /** Null when a training step of {@code batch} images fits, otherwise why not and what to do, starting "needs ...". */
    public static String problem(int batch) {
        // On the Java heap: the batch's pixels as floats, copied into ND4J's buffer each step.
        String heap = HeapBudget.shortfall(batch * PIXELS * Float.BYTES);
        if (heap != null) return heap + ", or use a smaller {batch-size}";
        long needed = BASE_BYTES + batch * BYTES_PER_IMAGE;
        long javacpp = org.bytedeco.javacpp.Pointer.maxPhysicalBytes();
        long machine = availableBytes();
        long limit = javacpp > 0 ? javacpp : Long.MAX_VALUE;
        boolean machineBound = machine > 0 && machine + currentRss() < limit;
        if (machineBound) limit = machine + currentRss();
        if (needed <= limit) return null;
        long most = Math.max(0, (limit - BASE_BYTES) / BYTES_PER_IMAGE);
        String which = machineBound
                ? "this machine has " + HeapBudget.megabytes(machine) + " available"
                : "this process may use " + HeapBudget.megabytes(javacpp) + " (JavaCPP's limit for ND4J's arrays: 4 times the "
                        + HeapBudget.megabytes(Runtime.getRuntime().maxMemory()) + " Java heap)";
        return String.format(Locale.ROOT, "needs about %s for one training step (%d KB an image plus %s) and %s;"
                        + " use at most {batch-size} %d%s",
                HeapBudget.megabytes(needed), BYTES_PER_IMAGE >> 10, HeapBudget.megabytes(BASE_BYTES), which, most,
                machineBound ? "" : ", or give Java more memory (LENET_JAVA_OPTS=-Xmx1g for scripts/lenet, java -Xmx1g otherwise)");
    }

    /** MemAvailable from /proc/meminfo in bytes, or -1 where there is none. */
    private static long availableBytes() {
        return meminfo(Path.of("/proc/meminfo"), "MemAvailable:");
    }

    private static long currentRss() {
        long rss = meminfo(Path.of("/proc/self/status"), "VmRSS:");
        return Math.max(rss, 0);
    }

    private static long meminfo(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(key)) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        } catch (IOException | NumberFormatException | UnsupportedOperationException e) {
            // not Linux
        }
        return -1;
    }
}
