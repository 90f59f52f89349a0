package dev.netdisk.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits arguments and quotes values, as {@code docs/PROTOCOL.md} section 2 specifies: words
 * separated by spaces or TABs; a word in double quotes may hold spaces, with {@code \"} and
 * {@code \\} as its only escapes; {@code ""} is the empty argument. The server splits command
 * lines with it and quotes paths in replies; the client quotes its arguments and splits quoted
 * reply values.
 *
 * <p>Pure functions; thread-safe.
 */
public final class Arguments {
    private Arguments() {
    }

    /**
     * Splits {@code text} into arguments.
     *
     * @return the arguments, unquoted; empty for blank text
     * @throws ProtocolException for an unclosed quote, an unknown escape, or a quote that does not
     *                           stand alone as a word (the server answers {@code 501} with its message)
     */
    public static List<String> split(String text) throws ProtocolException {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (true) {
            while (i < n && isSeparator(text.charAt(i))) {
                i++;
            }
            if (i == n) {
                return out;
            }
            if (text.charAt(i) == '"') {
                StringBuilder word = new StringBuilder();
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = text.charAt(i++);
                    if (c == '"') {
                        closed = true;
                        break;
                    }
                    if (c == '\\') {
                        if (i == n) {
                            break;
                        }
                        char escaped = text.charAt(i++);
                        if (escaped != '"' && escaped != '\\') {
                            throw new ProtocolException(
                                    "unknown escape \\" + escaped + " in quoted argument");
                        }
                        word.append(escaped);
                    } else {
                        word.append(c);
                    }
                }
                if (!closed) {
                    throw new ProtocolException("unclosed quote in arguments");
                }
                if (i < n && !isSeparator(text.charAt(i))) {
                    throw new ProtocolException(
                            "a closing quote must end the argument");
                }
                out.add(word.toString());
            } else {
                int start = i;
                while (i < n && !isSeparator(text.charAt(i))) {
                    if (text.charAt(i) == '"') {
                        throw new ProtocolException(
                                "a quote may only start an argument");
                    }
                    i++;
                }
                out.add(text.substring(start, i));
            }
        }
    }

    /**
     * Quotes {@code value} as one argument: unchanged when it needs no quoting, otherwise in
     * double quotes with {@code "} and {@code \} escaped. Always quotes an empty value.
     */
    public static String quote(String value) {
        boolean plain = !value.isEmpty();
        for (int i = 0; i < value.length() && plain; i++) {
            char c = value.charAt(i);
            plain = !isSeparator(c) && c != '"' && c != '\\';
        }
        return plain ? value : forceQuote(value);
    }

    /** Quotes {@code value} in double quotes whether or not it needs it ({@code PWD}'s form). */
    public static String forceQuote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.append('"').toString();
    }

    /**
     * A path argument: quoted, and made unmistakable for an option when it starts with {@code -}
     * by writing it as {@code ./-x} (the protocol's second way, which needs no {@code --}).
     */
    public static String path(String path) {
        return quote(path.startsWith("-") ? "./" + path : path);
    }

    /** A command line: {@code verb} followed by already-quoted arguments, separated by spaces. */
    public static String command(String verb, String... quotedArgs) {
        StringBuilder sb = new StringBuilder(verb);
        for (String a : quotedArgs) {
            sb.append(' ').append(a);
        }
        return sb.toString();
    }

    /**
     * The first argument of a reply text such as {@code "/docs" is the current directory}.
     *
     * @throws ProtocolException when the text has no argument or bad quoting
     */
    public static String firstArg(String text) throws ProtocolException {
        List<String> args = split(text);
        if (args.isEmpty()) {
            throw new ProtocolException("protocol error: no argument in: " + text);
        }
        return args.get(0);
    }

    /**
     * Rejects text that cannot travel in one protocol line: a control character other than TAB.
     *
     * @param what names the value in the message ("message", "group name")
     * @throws IllegalArgumentException naming {@code what}
     */
    public static void checkNoLineBreak(String what, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                throw new IllegalArgumentException(what + " holds a control character");
            }
        }
    }

    /** Whether {@code c} separates words: a space or a TAB. */
    public static boolean isSeparator(char c) {
        return c == ' ' || c == '\t';
    }
}
