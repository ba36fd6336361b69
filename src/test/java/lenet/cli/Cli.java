package lenet.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the lenet command line in this JVM and captures what it prints. */
record Cli(int exitCode, String out, String err) {
    static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = Main.execute(cl, args);
        return new Cli(code, out.toString(), err.toString());
    }

    /** The error output's lines without the notes that say which model a command loaded ("model ...", "note: ..."). */
    String[] problemLines() {
        return java.util.Arrays.stream(errLines()).filter(l -> !l.isBlank() && !l.startsWith("model ") && !l.startsWith("note: ")).toArray(String[]::new);
    }

    /** The error output without the notes that say which model a command loaded, as one string. */
    String problems() {
        return String.join("\n", problemLines());
    }

    /** The error output's lines, trimmed of the trailing newline. */
    String[] errLines() {
        return err.strip().split("\n");
    }
}
