package lenet.cli;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import lenet.LenetException;
import lenet.app.Models;
import lenet.serve.ServeConfig;
import lenet.serve.Server;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lenet serve}: the page that draws a digit and shows the network computing it. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Serve a page on this machine where you draw a digit and watch LeNet read it: the ten probabilities, what the network saw, "
                    + "every layer's maps, the arithmetic of any cell you click, a convolution playground with d2l's examples, "
                    + "your training runs (live while one trains) and the test images the model gets wrong.",
            "The page loads nothing from elsewhere and works offline. Only 127.0.0.1 can reach it unless --host says otherwise; "
                    + "requests from other sites' pages are refused, and uploads are limited to 10 MiB (images to 40 megapixels, as for predict). "
                    + "Ctrl-C stops it."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  ${COMMAND-FULL-NAME}                          then open http://127.0.0.1:" + ServeConfig.DEFAULT_PORT + "/",
            "  ${COMMAND-FULL-NAME} --model runs/X/epoch-03.npz --port 0",
            "  ${COMMAND-FULL-NAME} --runs old-runs",
            "  curl -H Content-Type:image/png --data-binary @7.png 127.0.0.1:" + ServeConfig.DEFAULT_PORT + "/api/predict"},
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {ExitCodes.SERVE_STOPPED, ExitCodes.SERVE_FAILED, ExitCodes.USAGE})
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    /** --model, --activation and --pool, as for predict and eval; the default model is the newest finished run under --runs. */
    @Mixin
    ModelOptions models;

    @Option(names = "--runs", paramLabel = "DIR", description = "The folder of training runs the page lists and follows; only read (default: runs).")
    Path runs;

    @Option(names = "--port", paramLabel = "N", defaultValue = "" + ServeConfig.DEFAULT_PORT,
            description = "Port to listen on; 0 takes a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = ServeConfig.DEFAULT_HOST,
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only). Another address makes the page reachable from the network.")
    String host;

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        if (port < 0 || port > 65535) throw new CommandLine.ParameterException(cl, "--port must be between 0 and 65535, was " + port);
        PrintWriter out = cl.getOut();
        PrintWriter err = cl.getErr();
        if (!isLoopback(host)) {
            err.println("warning: --host " + host + " makes the page reachable from the network: anyone who can reach this machine can use it "
                    + "and see your runs' names, settings and curves. Leave out --host to keep it on this machine.");
            err.flush();
        }
        boolean quiet = GlobalOptions.isQuiet(cl);
        Path runsDir = runs != null ? runs : Defaults.runs();
        Models.Loaded model = null;
        String noModel = null;
        try {
            model = models.load(err, quiet, runsDir); // "model FILE: ..." as every command says it
        } catch (LenetException e) {
            if (models.model != null) throw e; // the model asked for must be read
            // No usable run yet: the page still serves (playground, runs) and takes a run's checkpoint when one is chosen there.
            noModel = Flags.render(e.getMessage());
            err.println("note: " + noModel + "; the page starts without a model (its runs panel can choose one)");
            err.flush();
        }
        ServeConfig config = new ServeConfig(model, noModel, runsDir, host, port, Defaults::dataDir);
        try (Server server = Server.start(config, err); Interrupts interrupts = new Interrupts(server::close, err, "stopping the server")) {
            out.println(server.address());
            out.flush();
            if (!quiet) {
                err.println("serving the page at " + server.address() + " (Ctrl-C stops it)");
                err.flush();
            }
            server.awaitStop();
            return interrupts.exitCode();
        }
    }

    /** True for 127.0.0.1, ::1, localhost and the rest of the loopback range. */
    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false; // the server refuses it with its own message
        }
    }
}
