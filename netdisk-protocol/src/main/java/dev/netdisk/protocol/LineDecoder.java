package dev.netdisk.protocol;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Frames a byte stream into protocol lines: UTF-8, LF-terminated, an optional CR before the LF,
 * at most {@code maxLineBytes} bytes without the terminator ({@code docs/PROTOCOL.md} section 1).
 *
 * <p>A line that is too long, not valid UTF-8, or holds a control character other than TAB becomes
 * an {@link Invalid} item with the message for its {@code 500} reply; a line too long is discarded
 * up to its LF without being buffered. {@link #next} takes only the bytes of one line, so what
 * follows a line (the raw bytes of an upload) stays in the buffer.
 *
 * <p>The line buffer starts at 256 bytes and grows with the line, so an idle connection holds
 * little. Not thread-safe: one decoder per connection, used by the selector thread only.
 */
public final class LineDecoder {

    /** What {@link #next} found. */
    public sealed interface Item permits Line, Invalid {
    }

    /** A well-formed line, without its terminator. */
    public record Line(String text) implements Item {
    }

    /** A line that must be refused with {@code 500 message}. */
    public record Invalid(String message) implements Item {
    }

    /** The line buffer's first size: most lines are short, and idle connections hold nothing more. */
    private static final int INITIAL_BYTES = 256;

    private final int maxLineBytes;
    private byte[] line;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private int length;
    private boolean discarding;

    /** @param maxLineBytes the longest line accepted, in bytes, not counting CR LF */
    public LineDecoder(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
        this.line = new byte[Math.min(INITIAL_BYTES, maxLineBytes + 1)];
    }

    /** Whether part of a line has been received and its LF has not. */
    public boolean hasPartialLine() {
        return length > 0 || discarding;
    }

    /**
     * Consumes bytes from {@code in} (in read mode) up to and including the next LF.
     *
     * @return the line or the reason it is invalid; {@code null} when {@code in} ran out first (the
     *         bytes read so far are kept for the next call)
     */
    public Item next(ByteBuffer in) {
        while (in.hasRemaining()) {
            byte b = in.get();
            if (b == '\n') {
                if (discarding) {
                    discarding = false;
                    length = 0;
                    return new Invalid("line too long (max " + maxLineBytes + " bytes)");
                }
                int end = length;
                if (end > 0 && line[end - 1] == '\r') {
                    end--;
                }
                length = 0;
                Item item = decode(end);
                if (line.length > 4 * INITIAL_BYTES) {
                    line = new byte[INITIAL_BYTES]; // give back what one long line needed
                }
                return item;
            }
            if (discarding) {
                continue;
            }
            if (length == line.length) {
                // One more byte than the maximum, for a CR before the LF of a line of exactly the maximum.
                if (line.length > maxLineBytes) {
                    discarding = true;
                    continue;
                }
                line = Arrays.copyOf(line, Math.min(line.length * 2, maxLineBytes + 1));
            }
            line[length++] = b;
        }
        return null;
    }

    private Item decode(int end) {
        if (end > maxLineBytes) {
            return new Invalid("line too long (max " + maxLineBytes + " bytes)");
        }
        String text;
        try {
            CharBuffer chars = utf8.reset().decode(ByteBuffer.wrap(line, 0, end));
            text = chars.toString();
        } catch (CharacterCodingException e) {
            return new Invalid("line is not valid UTF-8");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            // C0, DEL and C1 (U+0080-U+009F): a terminal may act on any of them
            if (Character.getType(c) == Character.CONTROL && c != '\t') {
                return new Invalid("control character 0x" + Integer.toHexString(c) + " in line");
            }
        }
        return new Line(text);
    }
}
