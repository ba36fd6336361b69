package lenet.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Options every command takes, declared once on {@code lenet} and inherited by its subcommands
 * (picocli's inherited scope): {@code lenet -q train} and {@code lenet train -q} are the same.
 */
public final class GlobalOptions {
    @Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT, description = "Show stack traces and more detail on errors.")
    boolean verbose;

    @Option(names = {"-q", "--quiet"}, scope = CommandLine.ScopeType.INHERIT, description = "Print no progress or notes on stderr; results, warnings and errors still.")
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
