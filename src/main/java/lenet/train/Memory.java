package lenet.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's memory as the operating system sees it. ND4J keeps arrays off the Java heap, so
 * the heap's own figures say little; the resident set does.
 */
public final class Memory {
    private Memory() {}

    /** Resident set size now (VmRSS), in MB; NaN where /proc is not available. */
    public static double rssMb() {
        return status("VmRSS:");
    }

    /** The largest resident set so far (VmHWM), in MB; NaN where /proc is not available. */
    public static double peakRssMb() {
        return status("VmHWM:");
    }

    private static double status(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return Double.NaN;
    }
}
