package dev.netdisk.server.command;

import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.protocol.CommandException;
import dev.netdisk.server.protocol.Request;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A command's arguments split into positional values and options ({@code -p}, {@code --overwrite};
 * {@code --} ends the options), checked against what the command accepts.
 */
final class CommandArgs {

    private final List<String> positional;
    private final Set<String> options;

    private CommandArgs(List<String> positional, Set<String> options) {
        this.positional = positional;
        this.options = options;
    }

    /**
     * Parses and checks {@code request}'s arguments.
     *
     * @throws CommandException 501 {@code usage: SYNTAX} for too few or too many values, and
     *                          {@code unknown option} for an option not in {@code allowed}
     */
    static CommandArgs parse(Request request, Command command, int min, int max, Set<String> allowed)
            throws CommandException {
        List<String> positional = new ArrayList<>();
        Set<String> options = new HashSet<>();
        boolean optionsEnded = false;
        for (String arg : request.args()) {
            if (!optionsEnded && arg.equals("--")) {
                optionsEnded = true;
            } else if (!optionsEnded && arg.length() > 1 && arg.startsWith("-")) {
                if (!allowed.contains(arg)) {
                    throw new CommandException(ReplyCode.ARGUMENT_ERROR, "unknown option " + arg
                            + "; usage: " + command.syntax());
                }
                options.add(arg);
            } else {
                positional.add(arg);
            }
        }
        if (positional.size() < min || positional.size() > max) {
            String problem = positional.size() < min ? "missing argument" : "too many arguments";
            throw new CommandException(ReplyCode.ARGUMENT_ERROR, problem + "; usage: " + command.syntax());
        }
        return new CommandArgs(List.copyOf(positional), Set.copyOf(options));
    }

    /** Parses a command that takes exactly {@code count} values and no options. */
    static CommandArgs exactly(Request request, Command command, int count) throws CommandException {
        return parse(request, command, count, count, Set.of());
    }

    String get(int index) {
        return positional.get(index);
    }

    /** The value at {@code index}, or {@code fallback} when absent. */
    String get(int index, String fallback) {
        return index < positional.size() ? positional.get(index) : fallback;
    }

    int count() {
        return positional.size();
    }

    boolean has(String option) {
        return options.contains(option);
    }

    /**
     * The value at {@code index} as a non-negative byte count or offset.
     *
     * @throws CommandException 501 naming {@code what} when it is not a non-negative integer
     */
    long nonNegativeLong(int index, String what) throws CommandException {
        String value = positional.get(index);
        try {
            long n = Long.parseLong(value);
            if (n >= 0 && value.chars().allMatch(Character::isDigit)) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // falls through to the reply
        }
        throw new CommandException(ReplyCode.ARGUMENT_ERROR, what + " must be a non-negative integer: " + value);
    }
}
