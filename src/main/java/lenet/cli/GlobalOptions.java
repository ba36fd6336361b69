package lenet.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Options every subcommand takes. */
public final class GlobalOptions {
    @Option(names = {"-v", "--verbose"}, description = "Show stack traces and more detail on errors.")
    boolean verbose;

    @Option(names = {"-q", "--quiet"}, description = "Print no progress or notes on stderr; results, warnings and errors still.")
    boolean quiet;

    /** True when the command that ran (or any of its parents) was given --verbose. */
    static boolean isVerbose(CommandLine cl) {
        for (CommandLine c = cl; c != null; c = c.getParent()) {
            for (Object mixin : c.getMixins().values()) {
                if (mixin instanceof GlobalOptions g && g.verbose) return true;
            }
        }
        return false;
    }

    /** True when the command that ran (or any of its parents) was given --quiet. */
    static boolean isQuiet(CommandLine cl) {
        for (CommandLine c = cl; c != null; c = c.getParent()) {
            for (Object mixin : c.getMixins().values()) {
                if (mixin instanceof GlobalOptions g && g.quiet) return true;
            }
        }
        return false;
    }
}
