package dev.netdisk.server.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command's arguments and quotes values for replies, as {@code docs/PROTOCOL.md}
 * section 2 specifies: words separated by spaces or TABs; a word in double quotes may hold
 * spaces, with {@code \"} and {@code \\} as its only escapes.
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
     * @throws CommandException 501 for an unclosed quote, an unknown escape, or a quote that does
     *                          not stand alone as a word
     */
    public static List<String> split(String text) throws CommandException {
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
                            throw new CommandException(ReplyCode.ARGUMENT_ERROR,
                                    "unknown escape \\" + escaped + " in quoted argument");
                        }
                        word.append(escaped);
                    } else {
                        word.append(c);
                    }
                }
                if (!closed) {
                    throw new CommandException(ReplyCode.ARGUMENT_ERROR, "unclosed quote in arguments");
                }
                if (i < n && !isSeparator(text.charAt(i))) {
                    throw new CommandException(ReplyCode.ARGUMENT_ERROR,
                            "a closing quote must end the argument");
                }
                out.add(word.toString());
            } else {
                int start = i;
                while (i < n && !isSeparator(text.charAt(i))) {
                    if (text.charAt(i) == '"') {
                        throw new CommandException(ReplyCode.ARGUMENT_ERROR,
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

    static boolean isSeparator(char c) {
        return c == ' ' || c == '\t';
    }
}
