package lenet.cli;

import java.io.PrintWriter;
import lenet.io.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import lenet.train.Runs;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lenet runs}: the training runs under runs/, newest first, and how each one ended. */
@Command(name = "runs", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "List the training runs under runs/ (or --dir), newest first: data set, network, recipe, epochs done of planned, "
                    + "best and last test accuracy, status and size on disk.",
            "Status: finished (all epochs, and it learned), training (an epoch's checkpoint of a run still going, or killed), "
                    + "interrupted (Ctrl-C or --stop-after; --resume continues it), diverged (the loss blew up) or at-chance "
                    + "(it learned nothing). Commands given no --model use the newest finished run."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  ${COMMAND-FULL-NAME}",
            "  ${COMMAND-FULL-NAME} --dir old-runs",
            "  ${COMMAND-FULL-NAME} --json"},
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {ExitCodes.OK, ExitCodes.FAILED, ExitCodes.USAGE})
final class RunsCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", description = "The folder holding the run folders (default: runs).")
    Path dir;

    @Option(names = "--json", description = "Print one JSON object: {\"runs\": [...]}, each with the table's columns.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Path root = dir != null ? dir : Defaults.runs();
        List<Runs.Run> runs = Runs.list(root);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Runs.Run r : runs) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", r.name());
                m.put("dir", r.dir().toString());
                m.put("dataset", r.dataset());
                m.put("network", r.network());
                m.put("recipe", r.recipe());
                m.put("epochs_done", r.epochsDone());
                m.put("epochs_planned", r.epochsPlanned());
                m.put("best_test_accuracy", Double.isNaN(r.bestTestAccuracy()) ? null : r.bestTestAccuracy());
                m.put("last_test_accuracy", Double.isNaN(r.lastTestAccuracy()) ? null : r.lastTestAccuracy());
                m.put("status", r.status() == null ? "unreadable" : r.status().jsonName());
                m.put("bytes", r.bytes());
                m.put("checkpoint", r.checkpoint().toString());
                if (r.problem() != null) m.put("problem", r.problem());
                rows.add(m);
            }
            out.println(Json.line(Map.of("runs", rows)));
        } else if (runs.isEmpty()) {
            spec.commandLine().getErr().println("no runs under " + root.toAbsolutePath().normalize() + "; `" + Invocation.command()
                    + " train` makes one");
        } else {
            int width = Math.max(4, runs.stream().mapToInt(r -> r.name().length()).max().orElse(4));
            String format = "%-" + width + "s  %-13s  %-11s  %-7s  %6s  %7s  %7s  %-11s  %8s%n";
            out.printf(Locale.ROOT, format, "run", "dataset", "network", "recipe", "epochs", "best", "last", "status", "size");
            for (Runs.Run r : runs) {
                out.printf(Locale.ROOT, format, r.name(), orDash(r.dataset()), orDash(r.network()), orDash(r.recipe()),
                        r.epochsPlanned() > 0 ? r.epochsDone() + "/" + r.epochsPlanned() : "-", percent(r.bestTestAccuracy()),
                        percent(r.lastTestAccuracy()), r.status() == null ? "unreadable" : r.status().jsonName(), size(r.bytes()));
            }
        }
        out.flush();
        return 0;
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }

    private static String percent(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    /** 2.5 MB, 812 KB. */
    static String size(long bytes) {
        if (bytes >= 1 << 30) return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1 << 30));
        if (bytes >= 1 << 20) return String.format(Locale.ROOT, "%.1f MB", bytes / (double) (1 << 20));
        return String.format(Locale.ROOT, "%d KB", (bytes + 1023) / 1024);
    }
}
