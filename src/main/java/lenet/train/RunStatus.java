package lenet.train;

import java.util.Locale;

/**
 * What became of a training run, saved in every checkpoint's meta.json as {@code status}.
 *
 * <ul>
 *   <li>{@code training}: an epoch's checkpoint of a run still going (or killed before it ended).</li>
 *   <li>{@code finished}: all planned epochs done, and the network learned.</li>
 *   <li>{@code interrupted}: stopped before the planned end (Ctrl-C, SIGTERM or {@code --stop-after});
 *       {@code --resume} continues it.</li>
 *   <li>{@code diverged}: the loss became NaN or infinite, or ended above chance: the steps were too
 *       large for the network.</li>
 *   <li>{@code at-chance}: the run ended with a test accuracy no better than guessing.</li>
 * </ul>
 *
 * Only a {@code finished} run is taken as "the newest training result" when a command is given no model.
 */
public enum RunStatus {
    TRAINING, FINISHED, INTERRUPTED, DIVERGED, AT_CHANCE;

    /** The name in meta.json, {@code lenet runs} and JSON output: {@code at-chance}, ... */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The status named {@code s}, or null for a name this lenet does not know. */
    public static RunStatus fromJson(String s) {
        for (RunStatus v : values()) if (v.jsonName().equals(s)) return v;
        return null;
    }

    /** True for a run whose model a command may pick by itself (a finished run that learned). */
    public boolean usable() {
        return this == FINISHED;
    }
}
