package lenet.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import lenet.LenetException;
import lenet.SettingException;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code lenet} command: prints usage; the work is in its subcommands. */
@Command(name = "lenet",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Train LeNet on MNIST, evaluate it, and classify digit images.",
        subcommands = {TrainCommand.class, EvalCommand.class, PredictCommand.class, ReportCommand.class, RunsCommand.class, ServeCommand.class, SummaryCommand.class,
            ExportCommand.class,
            BenchCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  ${COMMAND-NAME} train                  train LeNet on MNIST (12 epochs, ~99%%)",
            "  ${COMMAND-NAME} predict my-digit.png   read a digit with the newest finished model",
            "  ${COMMAND-NAME} runs                   the runs under runs/ and how each ended",
            "  ${COMMAND-NAME} serve                  the page: draw a digit, see LeNet compute it",
            "  ${COMMAND-NAME} train --help           every training flag and its default"},
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {ExitCodes.OK, ExitCodes.FAILED, ExitCodes.USAGE})
public final class Main implements Runnable {
    private static final java.util.regex.Pattern JAVA_NAMES =
            java.util.regex.Pattern.compile("\\b(java|javax|sun|jdk|com|org|lenet)\\.[a-z]\\w*\\.|\\b[A-Z]\\w*(Exception|Error)\\b");

    @Spec
    CommandSpec spec;

    @CommandLine.Mixin
    GlobalOptions global;

    @Override
    public void run() {
        // `lenet` alone: show what there is to do, and count it as a usage error.
        throw new CommandLine.ParameterException(spec.commandLine(),
                "Missing a command: train, eval, predict, report, runs, serve, summary, export, bench, completion or help");
    }

    public static void main(String[] args) {
        // The report draws PNG files; it never needs a display, even when DISPLAY is set.
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
        // picocli otherwise looks for Groovy (closures in annotations) through every jar on the class path.
        System.setProperty("picocli.disable.closures", "true");
        System.exit(execute(commandLine(), args));
    }

    /**
     * Runs {@code cl} with {@code args}. picocli hands exceptions to {@link #handle} but lets Errors
     * through; an OutOfMemoryError that the size checks did not foresee still ends as one line.
     */
    public static int execute(CommandLine cl, String... args) {
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            long heapMb = Runtime.getRuntime().maxMemory() >> 20;
            PrintWriter err = cl.getErr();
            err.println("lenet: out of memory: the Java heap (" + heapMb + " MB) is full; give Java more memory"
                    + " (LENET_JAVA_OPTS=-Xmx2g for scripts/lenet, java -Xmx2g otherwise) or ask for less"
                    + " (a smaller --batch-size, --limit or input file)");
            if (Arrays.asList(args).contains("--verbose") || Arrays.asList(args).contains("-v")) e.printStackTrace(err);
            err.flush();
            return 1;
        }
    }

    /** The command line with lenet's error handling, also used by the tests. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setCommandName(Invocation.command());
        // `lenet completion` prints picocli's bash/zsh completion script (its generate-completion command, renamed).
        CommandLine completion = new CommandLine(new AutoComplete.GenerateCompletion());
        completion.getCommandSpec().name("completion");
        cl.addSubcommand("completion", completion);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setOverwrittenOptionsAllowed(true); // the last of a repeated option wins, as in most tools, with a warning
        cl.setExecutionStrategy(parsed -> {
            warnAboutRepeatedOptions(parsed);
            return new CommandLine.RunLast().execute(parsed);
        });
        cl.setExecutionExceptionHandler(Main::handle);
        cl.setParameterExceptionHandler(Main::usageError);
        return cl;
    }

    /**
     * An option given more than once takes its last value; so that this is never a surprise, each
     * such option gets one warning line naming the value that counts.
     */
    private static void warnAboutRepeatedOptions(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult pr = parsed; pr != null; pr = pr.subcommand()) {
            java.util.Map<String, Integer> counts = new java.util.LinkedHashMap<>();
            for (String arg : pr.originalArgs()) {
                String name = arg.startsWith("--") && arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
                CommandLine.Model.OptionSpec option = pr.commandSpec().findOption(name);
                if (option != null && option.arity().max() > 0 && !option.isMultiValue()) counts.merge(option.longestName(), 1, Integer::sum);
            }
            CommandLine.Model.CommandSpec spec = pr.commandSpec();
            PrintWriter err = spec.commandLine().getErr();
            counts.forEach((name, n) -> {
                if (n > 1) err.println("warning: " + name + " was given " + n + " times; the last one counts (" + spec.findOption(name).getValue() + ")");
            });
            err.flush();
        }
    }

    /** A usage error: what was wrong and where to read more, GNU style, exit status 2. */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        String name = cl.getCommandSpec().qualifiedName();
        err.println(name + ": " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + name + " --help' for more information.");
        err.flush();
        return cl.getCommandSpec().exitCodeOnInvalidInput();
    }

    /**
     * A failure while running: one line on stderr and exit status 1. Problems the user can fix
     * ({@link LenetException}) are shown as they are; anything else is shown by its message, with
     * the stack trace only under {@code --verbose}.
     */
    static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        boolean verbose = GlobalOptions.isVerbose(cl);
        if (e instanceof SettingException) {
            // A setting the code below refused (out of range, or contradicting a resumed run): a usage error naming the flag.
            String name = cl.getCommandSpec().qualifiedName();
            err.println(name + ": " + Flags.render(e.getMessage()));
            err.println("Try '" + name + " --help' for more information.");
            err.flush();
            return cl.getCommandSpec().exitCodeOnInvalidInput();
        } else if (e instanceof LenetException) {
            err.println("lenet: " + Flags.render(e.getMessage()));
        } else {
            String message = e.getMessage();
            // A message that names Java's internals helps no user: the trace under --verbose does.
            String what = message == null || message.isBlank() || JAVA_NAMES.matcher(message).find() ? "an internal error" : message;
            err.println("lenet: " + what.lines().findFirst().orElse(what) + (verbose ? "" : " (run with --verbose for details)"));
        }
        if (verbose) e.printStackTrace(err);
        err.flush();
        return 1;
    }
}
