package dev.netdisk.cli.client;

import java.util.ArrayList;
import java.util.List;

/**
 * Quoting and splitting of command arguments and quoted reply values (PROTOCOL.md section 2):
 * an argument holding spaces, double quotes or backslashes is written in double quotes with
 * {@code \"} and {@code \\} escapes; {@code ""} is the empty argument. Stateless.
 */
final class ProtocolArgs {

    private ProtocolArgs() {
    }

    /** One argument as it goes on the wire. */
    static String quote(String arg) {
        if (!needsQuotes(arg)) {
            return arg;
        }
        StringBuilder sb = new StringBuilder(arg.length() + 2).append('"');
        for (int i = 0; i < arg.length(); i++) {
            char c = arg.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('"').toString();
    }

    private static boolean needsQuotes(String arg) {
        if (arg.isEmpty()) {
            return true;
        }
        for (int i = 0; i < arg.length(); i++) {
            char c = arg.charAt(i);
            if (c == ' ' || c == '\t' || c == '"' || c == '\\') {
                return true;
            }
        }
        return false;
    }

    /**
     * A path argument: quoted, and made unmistakable for an option when it starts with {@code -}
     * by writing it as {@code ./-x} (the protocol's second way, which needs no {@code --}).
     */
    static String path(String path) {
        return quote(path.startsWith("-") ? "./" + path : path);
    }

    /** Builds a command line: the verb followed by already-quoted arguments. */
    static String command(String verb, String... quotedArgs) {
        StringBuilder sb = new StringBuilder(verb);
        for (String a : quotedArgs) {
            sb.append(' ').append(a);
        }
        return sb.toString();
    }

    /**
     * Splits text into arguments, the inverse of {@link #quote(String)} joined with spaces.
     *
     * @throws IllegalArgumentException on an unclosed quote or an unknown escape
     */
    static List<String> split(String text) {
        List<String> args = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t') {
                i++;
                continue;
            }
            StringBuilder sb = new StringBuilder();
            if (c == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char d = text.charAt(i++);
                    if (d == '\\') {
                        if (i >= n || (text.charAt(i) != '"' && text.charAt(i) != '\\')) {
                            throw new IllegalArgumentException("bad escape in: " + text);
                        }
                        sb.append(text.charAt(i++));
                    } else if (d == '"') {
                        closed = true;
                        break;
                    } else {
                        sb.append(d);
                    }
                }
                if (!closed) {
                    throw new IllegalArgumentException("unclosed quote in: " + text);
                }
            } else {
                while (i < n && text.charAt(i) != ' ' && text.charAt(i) != '\t') {
                    sb.append(text.charAt(i++));
                }
            }
            args.add(sb.toString());
        }
        return args;
    }

    /** The first argument of a reply text such as {@code "/docs" is the current directory}. */
    static String firstArg(String text) {
        List<String> args = split(text);
        if (args.isEmpty()) {
            throw new IllegalArgumentException("no argument in: " + text);
        }
        return args.get(0);
    }

    /** Rejects text that cannot travel in one protocol line. */
    static void checkNoLineBreak(String what, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                throw new IllegalArgumentException(what + " holds a control character");
            }
        }
    }
}
