package dev.netdisk.cli.client;

import dev.netdisk.protocol.Arguments;
import dev.netdisk.protocol.ProtocolException;
import dev.netdisk.protocol.Reply;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reads the parts of a reply that the client's requests return: quoted paths, listing lines,
 * optional numbers, times. A reply that does not have the shape PROTOCOL.md gives is a
 * {@link NetdiskConnectionException} ("protocol error: ..."). Stateless.
 */
final class Replies {

    private Replies() {
    }

    /** The quoted path that starts a reply's text, such as {@code "/docs" is the current directory}. */
    static String quotedPath(Reply reply) throws NetdiskConnectionException {
        try {
            return Arguments.firstArg(reply.text());
        } catch (ProtocolException e) {
            throw new NetdiskConnectionException("protocol error: no path in reply: " + reply, e);
        }
    }

    /** The quoted path in texts such as {@code restored "/docs/a.txt"}. */
    static String quotedAfterWord(Reply reply) throws NetdiskConnectionException {
        String text = reply.text();
        int quote = text.indexOf('"');
        try {
            return quote < 0 ? text : Arguments.firstArg(text.substring(quote));
        } catch (ProtocolException e) {
            throw new NetdiskConnectionException("protocol error: no path in reply: " + reply, e);
        }
    }

    /** One listing line ({@code LS}, {@code STAT}) as an {@link Entry}. */
    static Entry entry(String line, Reply reply) throws NetdiskConnectionException {
        try {
            return Entry.parse(line);
        } catch (IllegalArgumentException e) {
            throw new NetdiskConnectionException("protocol error: " + e.getMessage() + " in reply " + reply.code());
        }
    }

    /** Every body line of a multi-line reply, parsed by {@code parser}. */
    static <T> List<T> lines(Reply reply, Function<String, T> parser) throws NetdiskConnectionException {
        List<T> items = new ArrayList<>(reply.body().size());
        for (String line : reply.body()) {
            try {
                items.add(parser.apply(line));
            } catch (IllegalArgumentException e) {
                throw new NetdiskConnectionException("protocol error: " + e.getMessage() + " in reply " + reply.code());
            }
        }
        return items;
    }

    /** A numeric parameter that may be missing: 0 when it is missing or not a number. */
    static long optionalLong(Reply reply, String key) {
        String value = reply.params().get(key);
        try {
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** An ISO-8601 instant such as {@code 2026-01-02T03:04:05Z}. */
    static Instant instant(String text) throws NetdiskConnectionException {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new NetdiskConnectionException("protocol error: bad time " + text);
        }
    }
}
