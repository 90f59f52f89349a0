package dev.netdisk.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads LF-terminated UTF-8 lines from a stream through its own buffer, and hands out
 * {@link #stream()}, which reads the bytes after the last line returned (a download's content after
 * its {@code 150} line) from that same buffer first. Read both lines and raw bytes through this one
 * object, never from the wrapped stream directly.
 *
 * <p>Lines are found by scanning the buffer for LF and decoded in one step: a 10,000-line
 * {@code LS} reply costs one read system call per buffer, not one method call per byte.
 * Not thread-safe.
 */
public final class LineInput {

    /** Longer than any line the protocol allows (8192 bytes), to tolerate a generous server. */
    public static final int MAX_LINE = 8 * ProtocolLimits.MAX_LINE_BYTES;

    private static final int BUFFER_BYTES = 16 * 1024;

    private final InputStream in;
    private final byte[] buf;
    private int pos;
    private int limit;
    /** A line that spans refills collects here; rarely used. */
    private byte[] carry = new byte[0];
    private final InputStream stream = new Remaining();

    /** Reads {@code in} through a 16 KiB buffer. */
    public LineInput(InputStream in) {
        this(in, BUFFER_BYTES);
    }

    /** Reads {@code in} through a buffer of {@code bufferBytes} bytes (longer lines still fit). */
    public LineInput(InputStream in, int bufferBytes) {
        this.in = in;
        this.buf = new byte[bufferBytes];
    }

    /**
     * Moves bytes this buffer read past the last line returned into {@code dst}, without reading the
     * wrapped stream: for a caller that reads the rest straight from the socket's channel.
     *
     * @return how many bytes were moved; 0 once the buffer is empty
     */
    public int drainTo(java.nio.ByteBuffer dst) {
        int n = Math.min(limit - pos, dst.remaining());
        dst.put(buf, pos, n);
        pos += n;
        return n;
    }

    /**
     * How many bytes are read ahead and not yet taken. Zero after a {@code 234} (AUTH TLS): the
     * server sends nothing more in clear, so the TLS layer can take over the stream.
     */
    public int buffered() {
        return limit - pos;
    }

    /** The bytes after the last line returned: first what this buffer holds, then the wrapped stream. */
    public InputStream stream() {
        return stream;
    }

    /**
     * The next line without its terminator (a CR before the LF is dropped), or {@code null} at the
     * end of the stream (an unterminated last fragment is also returned as a line).
     *
     * @throws ProtocolException if a line is longer than {@link #MAX_LINE} bytes
     */
    public String readLine() throws IOException {
        int carried = 0;
        while (true) {
            for (int i = pos; i < limit; i++) {
                if (buf[i] == '\n') {
                    int start = pos;
                    pos = i + 1;
                    if (carried == 0) {
                        return decode(buf, start, i - start);
                    }
                    carried = append(carried, start, i - start);
                    return decode(carry, 0, carried);
                }
            }
            // No LF in what is buffered: keep it and read more.
            if (limit > pos) {
                carried = append(carried, pos, limit - pos);
            }
            pos = 0;
            limit = 0;
            int n = in.read(buf, 0, buf.length);
            if (n < 0) {
                return carried == 0 ? null : decode(carry, 0, carried);
            }
            limit = n;
        }
    }

    private int append(int carried, int from, int length) throws ProtocolException {
        int total = carried + length;
        if (total > MAX_LINE) {
            throw new ProtocolException("protocol error: line longer than " + MAX_LINE + " bytes");
        }
        if (carry.length < total) {
            carry = Arrays.copyOf(carry, Math.max(total, Math.min(MAX_LINE + 1, carry.length * 2 + 256)));
        }
        System.arraycopy(buf, from, carry, carried, length);
        return total;
    }

    private static String decode(byte[] bytes, int from, int length) {
        if (length > 0 && bytes[from + length - 1] == '\r') {
            length--;
        }
        return new String(bytes, from, length, StandardCharsets.UTF_8);
    }

    /** The raw bytes after the last line: the buffer's rest, then the wrapped stream. */
    private final class Remaining extends InputStream {

        @Override
        public int read() throws IOException {
            if (pos < limit) {
                return buf[pos++] & 0xff;
            }
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (pos < limit) {
                int n = Math.min(len, limit - pos);
                System.arraycopy(buf, pos, b, off, n);
                pos += n;
                return n;
            }
            return in.read(b, off, len);
        }

        @Override
        public int available() throws IOException {
            return (limit - pos) + in.available();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
