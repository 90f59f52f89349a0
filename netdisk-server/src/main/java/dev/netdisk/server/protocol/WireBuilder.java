package dev.netdisk.server.protocol;

import dev.netdisk.protocol.ReplyCode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds a multi-line reply straight into UTF-8 bytes: {@link #continuation} starts a
 * {@code NNN-} line, the appenders write its fields, {@link #endLine} ends it, and
 * {@link #finish} adds the final {@code NNN text} line. No intermediate string per line or for
 * the whole reply. Not thread-safe; used by one command on one worker.
 */
public final class WireBuilder {

    private final ReplyCode code;
    private final byte[] prefix;
    private byte[] buf;
    private int size;

    /** @param expectedBytes a first capacity guess, in bytes */
    public WireBuilder(ReplyCode code, int expectedBytes) {
        this.code = code;
        this.prefix = (code.code() + "-").getBytes(StandardCharsets.US_ASCII);
        this.buf = new byte[Math.max(64, expectedBytes)];
    }

    /** Starts a {@code NNN-} continuation line. */
    public WireBuilder continuation() {
        return bytes(prefix);
    }

    /** Appends raw bytes (already UTF-8, without LF or CR). */
    public WireBuilder bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
        return this;
    }

    /** Appends one ASCII character. */
    public WireBuilder ascii(char c) {
        ensure(1);
        buf[size++] = (byte) c;
        return this;
    }

    /** Appends ASCII text (digits, hex, fixed words). */
    public WireBuilder ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[size++] = (byte) s.charAt(i);
        }
        return this;
    }

    /** Appends a decimal number. */
    public WireBuilder number(long value) {
        if (value >= 0 && value < 10) {
            return ascii((char) ('0' + value));
        }
        return ascii(Long.toString(value));
    }

    /** Appends {@code value} as exactly {@code width} decimal digits, zero-padded (0 <= value < 10^width). */
    public WireBuilder digits(int value, int width) {
        ensure(width);
        for (int i = size + width - 1; i >= size; i--) {
            buf[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        size += width;
        return this;
    }

    /** Ends the current line with LF. */
    public WireBuilder endLine() {
        return ascii('\n');
    }

    /** Adds the final line {@code NNN text} and hands the bytes over; the builder is done. */
    public EncodedReply finish(String text) {
        bytes((code.code() + " ").getBytes(StandardCharsets.US_ASCII));
        bytes(text.getBytes(StandardCharsets.UTF_8));
        endLine();
        byte[] out = size == buf.length ? buf : Arrays.copyOf(buf, size);
        buf = null;
        return new EncodedReply(code, out);
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(size + more, buf.length * 2));
        }
    }
}
