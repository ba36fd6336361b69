package lenet.cli;

import lenet.LenetException;

/**
 * How the command line spells what the code below it names neutrally: a setting {@code {lr}} is
 * the flag {@code --lr}, and {@code {command}} is the command as the user typed it.
 */
final class Flags {
    private Flags() {}

    static String render(String message) {
        return LenetException.render(message, name -> name.equals("command") ? Invocation.command() : "--" + name);
    }
}
