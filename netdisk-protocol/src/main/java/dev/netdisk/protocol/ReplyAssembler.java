package dev.netdisk.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns the lines of a control connection into replies and events (PROTOCOL.md section 3).
 *
 * <p>Feed it one line at a time (without the line terminator). Not thread-safe: one reader thread
 * owns it.
 */
public final class ReplyAssembler {

    /** What one line completed. */
    public sealed interface Result permits Pending, Completed, Event {
    }

    /** The line belongs to a multi-line reply that is not finished. */
    public record Pending() implements Result {
    }

    /** The line finished a reply. */
    public record Completed(Reply reply) implements Result {
    }

    /** The line was an event; {@code text} is what follows {@code "* "}. */
    public record Event(String text) implements Result {
    }

    private static final Pending PENDING = new Pending();

    private int openCode = -1;
    private List<String> openLines = new ArrayList<>();

    /**
     * Consumes one line.
     *
     * @throws ProtocolException if the line is neither a reply line nor an event
     */
    public Result accept(String line) throws ProtocolException {
        if (line.startsWith("* ")) {
            return new Event(line.substring(2));
        }
        if (openCode >= 0) {
            boolean sameCode = code(line) == openCode;
            if (sameCode && (line.length() == 3 || line.charAt(3) == ' ')) {
                openLines.add(line.length() > 4 ? line.substring(4) : "");
                Reply reply = new Reply(openCode, openLines);
                openCode = -1;
                openLines = new ArrayList<>();
                return new Completed(reply);
            }
            // RFC 959 lets inner lines omit the code; PROTOCOL.md always sends "NNN-" but be lenient.
            boolean continuation = sameCode && line.length() > 3 && line.charAt(3) == '-';
            openLines.add(continuation ? line.substring(4) : line);
            return PENDING;
        }
        if (!startsWithCode(line) || (line.length() > 3 && line.charAt(3) != ' ' && line.charAt(3) != '-')) {
            throw new ProtocolException("protocol error: not a reply line: " + line);
        }
        int code = code(line);
        String text = line.length() > 4 ? line.substring(4) : "";
        if (line.length() > 3 && line.charAt(3) == '-') {
            openCode = code;
            openLines.add(text);
            return PENDING;
        }
        return new Completed(Reply.of(code, text));
    }

    /** The three-digit code a line starts with, or -1. */
    private static int code(String line) {
        return startsWithCode(line)
                ? (line.charAt(0) - '0') * 100 + (line.charAt(1) - '0') * 10 + (line.charAt(2) - '0') : -1;
    }

    private static boolean startsWithCode(String line) {
        return line.length() >= 3 && isDigit(line.charAt(0)) && isDigit(line.charAt(1)) && isDigit(line.charAt(2));
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
