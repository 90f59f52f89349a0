package dev.netdisk.cli.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads LF-terminated UTF-8 lines from a stream without reading past the line, so that raw bytes
 * after a line (a download's content after its {@code 150} line) stay in the stream.
 * Wrap the socket stream in a {@link java.io.BufferedInputStream} and read both lines and bytes
 * through that one buffer. Not thread-safe.
 */
final class LineInput {

    /** Longer than any line the protocol allows (8192 bytes), to tolerate a generous server. */
    static final int MAX_LINE = 64 * 1024;

    private final InputStream in;

    LineInput(InputStream in) {
        this.in = in;
    }

    InputStream stream() {
        return in;
    }

    /**
     * The next line without its terminator (a CR before the LF is dropped), or {@code null} at the
     * end of the stream (an unterminated last fragment is also returned as a line).
     */
    String readLine() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                return decode(buf);
            }
            if (buf.size() >= MAX_LINE) {
                throw new NetdiskConnectionException("protocol error: line longer than " + MAX_LINE + " bytes");
            }
            buf.write(b);
        }
        return buf.size() == 0 ? null : decode(buf);
    }

    private static String decode(ByteArrayOutputStream buf) {
        String s = buf.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }
}
