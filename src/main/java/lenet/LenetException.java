package lenet;

/**
 * A problem with the user's files, data or settings that the user can fix.
 *
 * <p>The message is one line that names the file (where there is one), says what is wrong and how
 * to fix it. The command line prints it without a stack trace and exits with status 1.
 */
public class LenetException extends RuntimeException {
    private static final java.util.regex.Pattern SETTING = java.util.regex.Pattern.compile("\\{([a-z][a-z-]*)}");

    /**
     * {@code message} with each setting named as {@code {lr}} spelt the way a front end spells it:
     * the command line as its flag ({@code --lr}), a page as words. Code below the front ends names
     * settings this way and never spells a flag itself.
     */
    public static String render(String message, java.util.function.UnaryOperator<String> name) {
        if (message == null) return null;
        java.util.regex.Matcher m = SETTING.matcher(message);
        StringBuilder out = new StringBuilder();
        while (m.find()) m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(name.apply(m.group(1))));
        m.appendTail(out);
        return out.toString();
    }

    public LenetException(String message) {
        super(message);
    }

    public LenetException(String message, Throwable cause) {
        super(message, cause);
    }
}
