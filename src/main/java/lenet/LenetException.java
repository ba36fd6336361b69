package lenet;

/**
 * A problem with the user's files, data or settings that the user can fix.
 *
 * <p>The message is one line that names the file (where there is one), says what is wrong and how
 * to fix it. The command line prints it without a stack trace and exits with status 1.
 */
public class LenetException extends RuntimeException {
    public LenetException(String message) {
        super(message);
    }

    public LenetException(String message, Throwable cause) {
        super(message, cause);
    }
}
