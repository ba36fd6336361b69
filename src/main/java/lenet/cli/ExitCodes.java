package lenet.cli;

/** The exit codes every command lists at the end of its help (picocli's exitCodeList entries). */
final class ExitCodes {
    private ExitCodes() {}

    static final String HEADING = "%nExit codes:%n";
    static final String OK = "0:success";
    static final String FAILED = "1:bad file, data or checkpoint, or a failure while running (one line says which and how to fix it)";
    static final String TRAIN_FAILED = "1:the run diverged or ended at chance (it says so), or a bad file, data or checkpoint (one line says which)";
    static final String USAGE = "2:usage error: unknown option or invalid value";
    static final String INTERRUPTED = "130:stopped by Ctrl-C (143: by SIGTERM) after saving a checkpoint to resume from";
    static final String SERVE_STOPPED = "130:stopped by Ctrl-C (143: by SIGTERM), the usual way to end it";
    static final String SERVE_FAILED = "1:the model, the address or the port could not be used (one line says which and how to fix it)";
    static final String SOME_FAILED = "1:an image could not be read (the others still get their answers), or the model could not be loaded";
}
