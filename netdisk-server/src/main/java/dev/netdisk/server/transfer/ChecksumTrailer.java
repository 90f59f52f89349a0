package dev.netdisk.server.transfer;

import dev.netdisk.protocol.Md5;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The trailer line {@code MD5 <32 hex digits>} that follows the bytes of an upload whose MD5 was
 * deferred ({@code docs/PROTOCOL.md} section 6, {@code DATA}): read into a buffer of
 * {@link #MAX_BYTES} and parsed once its line end is in, or once it cannot be (no line end within
 * the limit, or the stream ended). Nothing after the line end is taken.
 *
 * <p>Selector thread only.
 */
final class ChecksumTrailer {

    /** The longest trailer line accepted, in bytes, line end included. */
    static final int MAX_BYTES = 128;
    private static final Pattern LINE = Pattern.compile("MD5 (" + Md5.HEX.pattern() + ")\\r?", Pattern.CASE_INSENSITIVE);

    private final ByteBuffer line = ByteBuffer.allocate(MAX_BYTES);
    /** What a refusal says about the bytes received: kept for resume, or not (a small file). */
    private final String keptNote;
    private String md5;
    private Reply problem;

    /** @param keptNote the end of a refusal's text, about the bytes received */
    ChecksumTrailer(String keptNote) {
        this.keptNote = keptNote;
    }

    /** Whether the line is neither parsed nor refused yet: more of it may be read. */
    boolean pending() {
        return md5 == null && problem == null;
    }

    /** The MD5 the line gave, in lower case, once it is parsed; null until then or when refused. */
    String md5() {
        return md5;
    }

    /** The {@code 501} for a missing or malformed line, once known; null otherwise. */
    Reply problem() {
        return problem;
    }

    /**
     * Takes what it can of the line from {@code from}: up to and including its line end, never a
     * byte past it (on a batch connection, the next item's line follows).
     */
    void take(ByteBuffer from) {
        if (!pending()) {
            return;
        }
        int n = Math.min(from.remaining(), line.remaining());
        for (int i = 0; i < n; i++) {
            if (from.get(from.position() + i) == '\n') {
                n = i + 1;
                break;
            }
        }
        ByteBuffer part = from.slice();
        part.limit(n);
        line.put(part);
        from.position(from.position() + n);
        parse(false);
    }

    /** The stream ended: a line still pending is missing. */
    void end() {
        if (pending()) {
            parse(true);
        }
    }

    private void parse(boolean ended) {
        int end = -1;
        for (int i = 0; i < line.position(); i++) {
            if (line.get(i) == '\n') {
                end = i;
                break;
            }
        }
        if (end < 0) {
            if (ended) {
                problem = Reply.of(ReplyCode.ARGUMENT_ERROR, "missing checksum trailer: the connection ended"
                        + " after the bytes without the line MD5 <md5>; " + keptNote);
            } else if (!line.hasRemaining()) {
                problem = Reply.of(ReplyCode.ARGUMENT_ERROR, "bad checksum trailer: no line end within "
                        + MAX_BYTES + " bytes after the bytes; expected MD5 <md5>; " + keptNote);
            }
            return;
        }
        String text = new String(line.array(), 0, end, StandardCharsets.UTF_8);
        Matcher m = LINE.matcher(text);
        if (m.matches()) {
            md5 = m.group(1).toLowerCase(Locale.ROOT);
        } else {
            problem = Reply.of(ReplyCode.ARGUMENT_ERROR, "bad checksum trailer: expected MD5 <32 hex digits>,"
                    + " got " + printable(text) + "; " + keptNote);
        }
    }

    /** At most 40 characters of a bad trailer, with anything unprintable as {@code ?}, for a reply. */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder("\"");
        text.codePoints().limit(40).forEach(c -> out.appendCodePoint(c < 0x20 || c == 0x7f || c == 0xfffd ? '?' : c));
        return out.append(text.length() > 40 ? "...\"" : "\"").toString();
    }
}
