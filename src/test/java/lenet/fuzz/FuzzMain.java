package lenet.fuzz;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The long fuzz run behind {@code scripts/fuzz}: {@code --cases N} mutants of each reader from
 * case {@code --from S} (default 1,000,000, past the short run's), or of one {@code --target}.
 * Every finding is written to target/fuzz-findings/, and with {@code --save} also as a fixture
 * into src/test/resources/bad/, where BadInputCorpusTest holds it to a one-line refusal from then
 * on; {@code --keep} saves every case run as a fixture (an earlier finding, fixed since). Exit
 * status 1 when anything was found.
 */
public final class FuzzMain {
    private FuzzMain() {}

    public static void main(String[] args) throws Exception {
        long cases = 25_000, from = 1_000_000;
        List<Fuzz.Target> targets = new ArrayList<>(Fuzz.targets());
        boolean save = false, keep = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--cases" -> cases = Long.parseLong(args[++i]);
                case "--from" -> from = Long.parseLong(args[++i]);
                case "--target" -> targets = List.of(Fuzz.Target.valueOf(args[++i].toUpperCase(Locale.ROOT)));
                case "--save" -> save = true;
                case "--keep" -> keep = true;
                case "--write-seeds" -> {
                    Path dir = Path.of(args[++i]);
                    new Fuzz(Files.createTempDirectory("lenet-fuzz")).writeSeeds(dir);
                    System.exit(0);
                }
                default -> {
                    System.err.println("usage: scripts/fuzz [--cases N (each reader, default 25000)] [--from S] [--target idx|checkpoint|meta|image] [--save] [--keep]");
                    System.exit(2);
                }
            }
        }
        Path findingsDir = Files.createDirectories(Path.of("target", "fuzz-findings"));
        Fuzz fuzz = new Fuzz(Files.createTempDirectory("lenet-fuzz"));
        Map<Fuzz.Target, int[]> counts = new EnumMap<>(Fuzz.Target.class);
        List<Fuzz.Finding> findings = new ArrayList<>();
        long start = System.nanoTime();
        for (Fuzz.Target t : targets) {
            int[] c = counts.computeIfAbsent(t, k -> new int[2]);
            long targetStart = System.nanoTime();
            for (long seed = from; seed < from + cases; seed++) {
                if (keep) { // an earlier finding, fixed since: keep its input as a fixture
                    for (Path p : fuzz.saveAsFixture(fuzz.input(t, seed), Path.of("src", "test", "resources", "bad"))) System.out.println("kept " + p);
                }
                Fuzz.Finding f = fuzz.run(t, seed);
                c[0]++;
                if (f != null) {
                    c[1]++;
                    findings.add(f);
                    Files.write(findingsDir.resolve(f.name() + (f.extension().isEmpty() ? "" : "." + f.extension())), f.input());
                    System.out.println("finding " + f);
                    if (save) for (Path p : fuzz.saveAsFixture(f, Path.of("src", "test", "resources", "bad"))) System.out.println("  saved " + p);
                }
                if (c[0] % 5000 == 0) System.err.printf(Locale.ROOT, "%s: %,d cases, %d findings, %.0f s%n", t, c[0], c[1], (System.nanoTime() - targetStart) / 1e9);
            }
            System.out.printf(Locale.ROOT, "%s: %,d cases in %.0f s, %d findings%n", t.name().toLowerCase(Locale.ROOT), c[0],
                    (System.nanoTime() - targetStart) / 1e9, c[1]);
        }
        long total = counts.values().stream().mapToLong(c -> c[0]).sum();
        System.out.printf(Locale.ROOT, "fuzz: %,d cases (from case %d) in %.0f s, %d findings; slowest case %.2f s%n",
                total, from, (System.nanoTime() - start) / 1e9, findings.size(), fuzz.slowest);
        System.exit(findings.isEmpty() ? 0 : 1);
    }
}
