package dev.netdisk.cli.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One reply from the server, single- or multi-line (PROTOCOL.md section 3).
 *
 * @param code  the three-digit reply code
 * @param lines the text of every line after the code and its separator; the last element is the
 *              final line's text, earlier ones are the {@code NNN-} continuation lines
 */
record Reply(int code, List<String> lines) {

    Reply {
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a reply has at least one line");
        }
    }

    static Reply of(int code, String text) {
        return new Reply(code, List.of(text));
    }

    /** The final line's text. */
    String text() {
        return lines.get(lines.size() - 1);
    }

    /** The continuation lines' texts (empty for a single-line reply). */
    List<String> body() {
        return lines.subList(0, lines.size() - 1);
    }

    boolean isPositive() {
        return code >= 100 && code < 400;
    }

    /**
     * The {@code key=value} words at the start of the final line, up to the first word without
     * {@code =}.
     */
    Map<String, String> params() {
        Map<String, String> params = new LinkedHashMap<>();
        for (String word : text().split(" ")) {
            int eq = word.indexOf('=');
            if (eq <= 0) {
                break;
            }
            params.put(word.substring(0, eq), word.substring(eq + 1));
        }
        return params;
    }

    /** A required parameter; a missing one means the server broke the protocol. */
    String param(String key) throws NetdiskConnectionException {
        String value = params().get(key);
        if (value == null) {
            throw new NetdiskConnectionException("protocol error: reply lacks " + key + "=: " + this);
        }
        return value;
    }

    long longParam(String key) throws NetdiskConnectionException {
        String value = param(key);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new NetdiskConnectionException("protocol error: " + key + " is not a number: " + this);
        }
    }

    /** Throws {@link NetdiskReplyException} unless the code is {@code expected}. */
    Reply expect(int expected) throws NetdiskReplyException {
        if (code != expected) {
            throw new NetdiskReplyException(code, text());
        }
        return this;
    }

    @Override
    public String toString() {
        return code + " " + text();
    }
}
