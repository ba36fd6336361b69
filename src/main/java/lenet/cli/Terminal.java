package lenet.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** What lenet needs to know about the terminal: whether stderr is one, and how wide it is. */
final class Terminal {
    static final int DEFAULT_COLUMNS = 80;

    private Terminal() {}

    /**
     * True when standard error is a terminal. On Linux this reads where file descriptor 2 points
     * ({@code /dev/pts/N} or {@code /dev/ttyN}), so {@code lenet train 2> log} counts as not a
     * terminal even with stdin and stdout on one; elsewhere it falls back to
     * {@code System.console() != null} (stdin and stdout are a terminal).
     */
    static boolean stderrIsTerminal() {
        Path fd2 = Path.of("/proc/self/fd/2");
        try {
            String target = Files.readSymbolicLink(fd2).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    /** The terminal's width: $COLUMNS when exported, else what {@code stty size} says of /dev/tty, else 80. */
    static int columns() {
        String env = System.getenv("COLUMNS");
        if (env != null) {
            try {
                int n = Integer.parseInt(env.strip());
                if (n >= 20) return n;
            } catch (NumberFormatException ignored) {
                // fall through to stty
            }
        }
        File tty = new File("/dev/tty");
        if (!tty.exists()) return DEFAULT_COLUMNS;
        try {
            Process p = new ProcessBuilder("stty", "size").redirectInput(tty).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(1, TimeUnit.SECONDS)) {
                p.destroy();
                return DEFAULT_COLUMNS;
            }
            String[] rowsCols = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip().split("\\s+");
            int n = rowsCols.length == 2 ? Integer.parseInt(rowsCols[1]) : 0;
            return n >= 20 ? n : DEFAULT_COLUMNS;
        } catch (IOException | NumberFormatException e) {
            return DEFAULT_COLUMNS;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DEFAULT_COLUMNS;
        }
    }
}
