package dev.netdisk.protocol;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One reply, single- or multi-line, as RFC 959 section 4.2 frames it and {@code docs/PROTOCOL.md}
 * section 3 specifies: the server builds and {@link #render renders} it, the client and the test
 * client parse it ({@link ReplyAssembler}) and read its {@code key=value} parameters.
 *
 * <p>A single-line reply renders as {@code "NNN text\n"}; a multi-line one renders every line but
 * the last as {@code "NNN-line\n"} and the last as {@code "NNN text\n"}. Immutable.
 *
 * @param code  the three-digit reply code; its first digit is the class (1xx preliminary, 2xx done,
 *              3xx more needed, 4xx transient failure, 5xx permanent failure)
 * @param lines the text of every line without its {@code NNN-}/{@code NNN } prefix; the last element
 *              is the final line's text, earlier ones are the continuation lines. Never empty.
 */
public record Reply(int code, List<String> lines) implements Outcome {

    public Reply {
        if (code < 100 || code > 999) {
            throw new IllegalArgumentException("a reply code has three digits: " + code);
        }
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a reply has at least one line");
        }
    }

    /** A single-line reply. */
    public static Reply of(int code, String text) {
        return new Reply(code, List.of(text));
    }

    /** A single-line reply. */
    public static Reply of(ReplyCode code, String text) {
        return of(code.code(), text);
    }

    /** A single-line reply with the code's default text. */
    public static Reply of(ReplyCode code) {
        return of(code.code(), code.defaultText());
    }

    /** A multi-line reply: {@code body} as {@code NNN-} lines, then {@code NNN text}. */
    public static Reply multiline(ReplyCode code, List<String> body, String text) {
        String[] all = body.toArray(new String[body.size() + 1]);
        all[body.size()] = text;
        return new Reply(code.code(), List.of(all));
    }

    /** The final line's text. */
    public String text() {
        return lines.get(lines.size() - 1);
    }

    /** The continuation lines' texts (empty for a single-line reply). */
    public List<String> body() {
        return lines.subList(0, lines.size() - 1);
    }

    /** Whether the code is {@code code}'s. */
    public boolean is(ReplyCode code) {
        return this.code == code.code();
    }

    /** A 1xx, 2xx or 3xx reply: the command was taken. */
    public boolean isPositive() {
        return code >= 100 && code < 400;
    }

    /** Whether the connection closes once this reply has been sent ({@code 221} and {@code 421}). */
    public boolean closesConnection() {
        return is(ReplyCode.CLOSING) || is(ReplyCode.SERVICE_CLOSING);
    }

    /**
     * The {@code key=value} words at the start of the final line, up to the first word without
     * {@code =}, in order ({@code 350 ticket=T offset=0 size=9 send ...} gives three).
     */
    public Map<String, String> params() {
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

    /** The final line's text after its {@link #params() key=value words}: {@code 213 size=3 files=1 /docs} gives {@code /docs}. */
    public String textAfterParams() {
        String text = text();
        int pos = 0;
        for (String word : text.split(" ")) {
            if (word.indexOf('=') <= 0) {
                break;
            }
            pos += word.length() + 1;
        }
        return pos >= text.length() ? "" : text.substring(pos);
    }

    /**
     * A parameter of {@link #params()} that the reply must carry.
     *
     * @throws ProtocolException when it is missing: the peer broke the protocol
     */
    public String param(String key) throws ProtocolException {
        String value = params().get(key);
        if (value == null) {
            throw new ProtocolException("protocol error: reply lacks " + key + "=: " + this);
        }
        return value;
    }

    /**
     * A numeric parameter of {@link #params()}.
     *
     * @throws ProtocolException when it is missing or not a decimal {@code long}
     */
    public long longParam(String key) throws ProtocolException {
        String value = param(key);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ProtocolException("protocol error: " + key + " is not a number: " + this);
        }
    }

    /**
     * Returns this reply if its code is {@code expected}.
     *
     * @throws ReplyException with this reply's code and final text otherwise
     */
    public Reply expect(int expected) throws ReplyException {
        if (code != expected) {
            throw new ReplyException(code, text());
        }
        return this;
    }

    /** The reply as it goes on the wire: LF-terminated lines. */
    public String render() {
        StringBuilder out = new StringBuilder(16 + text().length());
        int last = lines.size() - 1;
        for (int i = 0; i < last; i++) {
            out.append(code).append('-').append(lines.get(i)).append('\n');
        }
        return out.append(code).append(' ').append(lines.get(last)).append('\n').toString();
    }

    /** {@link #render()} in UTF-8. */
    public byte[] toBytes() {
        return render().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code NNN text}, with continuation lines joined by {@code " | "}. */
    @Override
    public String toString() {
        return code + " " + String.join(" | ", lines);
    }
}
