package lenet;

/**
 * A setting that cannot be used: a value out of range, or one that contradicts a run being resumed.
 * {@link #setting()} names it as the front end does without prefix ({@code lr}, {@code batch-size});
 * the command line shows it as a usage error naming the flag ({@code --lr}).
 */
public class SettingException extends LenetException {
    private final String setting;

    /** @param message may name settings as {@code {name}} (see {@link LenetException#render}) */
    public SettingException(String setting, String message) {
        super(message);
        this.setting = setting;
    }

    public String setting() {
        return setting;
    }
}
