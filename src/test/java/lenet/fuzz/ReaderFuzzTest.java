package lenet.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short, fixed fuzz run of the normal test command: the same {@value #CASES} mutants of each
 * reader every time (seeds 0 to {@value #CASES} - 1; {@code scripts/fuzz} runs new ones by the
 * hundred thousand). A failure names each case, which {@code scripts/fuzz --target T --from S
 * --cases 1 --save} makes again and saves as a fixture.
 */
class ReaderFuzzTest {
    static final int CASES = 1000;

    @TempDir
    Path tmp;

    @Test
    void everyMutantIsAcceptedCorrectlyOrRefusedInOneCleanLine() throws Exception {
        Fuzz fuzz = new Fuzz(tmp);
        List<Fuzz.Finding> findings = new ArrayList<>();
        Map<Fuzz.Target, int[]> counts = new EnumMap<>(Fuzz.Target.class);
        for (Fuzz.Target t : Fuzz.Target.values()) {
            int[] c = counts.computeIfAbsent(t, k -> new int[2]);
            for (long seed = 0; seed < CASES; seed++) {
                Fuzz.Finding f = fuzz.run(t, seed);
                c[0]++;
                if (f != null) {
                    c[1]++;
                    findings.add(f);
                }
            }
        }
        System.out.println("fuzz: " + Fuzz.summary(counts) + String.format(java.util.Locale.ROOT, "slowest case %.2f s", fuzz.slowest));
        StringBuilder all = new StringBuilder();
        for (Fuzz.Finding f : findings) all.append('\n').append(f);
        assertTrue(findings.isEmpty(), findings.size() + " findings:" + all);
    }
}
