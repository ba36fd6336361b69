package lenet.fuzz;

import java.nio.file.Files;

/**
 * The same readers and oracle as {@link Fuzz}, as a target for Jazzer's coverage-guided fuzzing
 * ({@code scripts/fuzz --jazzer}): the reader is chosen by the system property
 * {@code lenet.fuzz.target} (idx, checkpoint, meta or image), and a finding is thrown as an
 * AssertionError, which Jazzer saves as a crash file.
 */
public final class JazzerTarget {
    private static Fuzz fuzz;
    private static Fuzz.Target target;

    private JazzerTarget() {}

    public static void fuzzerInitialize() throws Exception {
        target = Fuzz.Target.valueOf(System.getProperty("lenet.fuzz.target", "idx").toUpperCase(java.util.Locale.ROOT));
        fuzz = new Fuzz(Files.createTempDirectory("lenet-jazzer"));
    }

    public static void fuzzerTestOneInput(byte[] data) {
        Fuzz.Finding f = fuzz.check(target, data);
        if (f != null) throw new AssertionError(f.kind() + ": " + f.detail());
    }
}
