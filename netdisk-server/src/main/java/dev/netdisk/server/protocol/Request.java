package dev.netdisk.server.protocol;

import dev.netdisk.protocol.Arguments;
import dev.netdisk.protocol.ProtocolException;
import dev.netdisk.protocol.ReplyCode;
import java.util.List;
import java.util.Locale;

/**
 * One command line, split into its verb and the text of its arguments. Holds no socket and no
 * session: a handler gets the session beside it.
 *
 * @param verb the verb in upper case ({@code "LS"})
 * @param rest the text after the verb and the separators that follow it, verbatim ({@code CHAT}
 *             takes its message from here)
 */
public record Request(String verb, String rest) {

    /** Parses a decoded line; the line must not be blank. */
    public static Request parse(String line) {
        int i = 0;
        int n = line.length();
        while (i < n && Arguments.isSeparator(line.charAt(i))) {
            i++;
        }
        int start = i;
        while (i < n && !Arguments.isSeparator(line.charAt(i))) {
            i++;
        }
        String verb = line.substring(start, i).toUpperCase(Locale.ROOT);
        while (i < n && Arguments.isSeparator(line.charAt(i))) {
            i++;
        }
        return new Request(verb, line.substring(i));
    }

    /**
     * The arguments, unquoted.
     *
     * @throws CommandException 501 when the quoting is malformed
     */
    public List<String> args() throws CommandException {
        try {
            return Arguments.split(rest);
        } catch (ProtocolException e) {
            throw new CommandException(ReplyCode.ARGUMENT_ERROR, e.getMessage());
        }
    }

    /** The line as a log may show it: the verb only, as arguments may hold a password. */
    @Override
    public String toString() {
        return verb;
    }
}
