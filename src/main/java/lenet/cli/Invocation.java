package lenet.cli;

/**
 * How the user started lenet, so that a message suggesting a command spells it the way they can
 * type it again: {@code scripts/lenet} from the checkout's launcher, {@code lenet} when installed.
 * The launchers say so in {@code LENET_COMMAND}; {@code java -jar target/lenet.jar} gets {@code lenet}.
 */
final class Invocation {
    private Invocation() {}

    /** The command as typed, e.g. {@code scripts/lenet}. */
    static String command() {
        String c = System.getenv("LENET_COMMAND");
        return c == null || c.isBlank() ? "lenet" : c.strip();
    }
}
