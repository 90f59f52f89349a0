package dev.netdisk.server.protocol;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * One reply: a code and one or more lines of text, as RFC 959 section 4.2 frames them.
 *
 * <p>A single-line reply renders as {@code "NNN text\n"}; a multi-line one renders every line but
 * the last as {@code "NNN-line\n"} and the last as {@code "NNN text\n"}. Immutable.
 *
 * @param code  the reply code
 * @param lines the continuation lines of a multi-line reply (may be empty), without prefixes
 * @param text  the last (or only) line's text
 */
public record Reply(ReplyCode code, List<String> lines, String text) implements Outcome {

    public Reply {
        Objects.requireNonNull(code, "code");
        lines = List.copyOf(lines);
        Objects.requireNonNull(text, "text");
    }

    /** A single-line reply. */
    public static Reply of(ReplyCode code, String text) {
        return new Reply(code, List.of(), text);
    }

    /** A single-line reply with the code's default text. */
    public static Reply of(ReplyCode code) {
        return new Reply(code, List.of(), code.defaultText());
    }

    /** A multi-line reply: {@code lines} as {@code NNN-} lines, then {@code NNN text}. */
    public static Reply multiline(ReplyCode code, List<String> lines, String text) {
        return new Reply(code, lines, text);
    }

    /** Whether the connection should close once this reply has been sent. */
    public boolean closesConnection() {
        return code == ReplyCode.CLOSING || code == ReplyCode.SERVICE_CLOSING;
    }

    /** The reply as it goes on the wire, LF-terminated lines. */
    public String render() {
        StringBuilder out = new StringBuilder(16 + text.length());
        for (String line : lines) {
            out.append(code.code()).append('-').append(line).append('\n');
        }
        return out.append(code.code()).append(' ').append(text).append('\n').toString();
    }

    /** {@link #render()} in UTF-8. */
    public byte[] toBytes() {
        return render().getBytes(StandardCharsets.UTF_8);
    }
}
