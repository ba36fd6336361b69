package lenet.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) and SIGTERM while training: the first asks the trainer to stop after the step in
 * progress and save a checkpoint; a second exits at once. Checkpoints are written to a temp file
 * and renamed, so even the immediate exit leaves the last good one whole.
 *
 * <p>Java's only way to handle a signal without exiting is {@code sun.misc.Signal} (module
 * jdk.unsupported, present in every JDK); shutdown hooks run too late to save a step.
 */
final class Interrupts implements AutoCloseable {
    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
    private volatile Signal received;

    Interrupts(Runnable requestStop, PrintWriter err) {
        this(requestStop, err, "stopping after this step to save a checkpoint (press Ctrl-C again to quit at once)");
    }

    /** As above, saying {@code doing} when the first signal arrives. */
    Interrupts(Runnable requestStop, PrintWriter err, String doing) {
        for (String name : new String[] {"INT", "TERM"}) {
            Signal signal = new Signal(name);
            try {
                previous.put(signal, Signal.handle(signal, s -> {
                    if (received != null) {
                        Runtime.getRuntime().halt(128 + s.getNumber());
                    }
                    received = s;
                    err.println();
                    err.println("lenet: SIG" + s.getName() + ": " + doing);
                    err.flush();
                    requestStop.run();
                }));
            } catch (IllegalArgumentException unavailable) {
                // the JVM keeps this signal for itself (e.g. run with -Xrs): the default applies
            }
        }
    }

    /** 130 after SIGINT, 143 after SIGTERM (128 + the signal's number), as shells report them. */
    int exitCode() {
        return received == null ? 0 : 128 + received.getNumber();
    }

    @Override
    public void close() {
        previous.forEach(Signal::handle);
    }
}
