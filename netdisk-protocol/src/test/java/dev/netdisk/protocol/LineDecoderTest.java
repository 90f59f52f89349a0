package dev.netdisk.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.protocol.LineDecoder.Invalid;
import dev.netdisk.protocol.LineDecoder.Item;
import dev.netdisk.protocol.LineDecoder.Line;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineDecoderTest {

    private static final int MAX = 8192;

    private final LineDecoder decoder = new LineDecoder(MAX);

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static ByteBuffer bytes(byte... b) {
        return ByteBuffer.wrap(b);
    }

    /** Every item {@code in} yields until it runs out. */
    private List<Item> all(ByteBuffer in) {
        List<Item> items = new ArrayList<>();
        Item item;
        while ((item = decoder.next(in)) != null) {
            items.add(item);
        }
        return items;
    }

    @Test
    void linesEndInLfWithAnOptionalCr() {
        assertThat(all(bytes("NOOP\nPWD\r\nLS docs\n")))
                .containsExactly(new Line("NOOP"), new Line("PWD"), new Line("LS docs"));
    }

    @Test
    void aCrNotBeforeTheLfIsAControlCharacter() {
        assertThat(all(bytes("NO\rOP\n"))).singleElement().isInstanceOf(Invalid.class);
    }

    @Test
    void anEmptyLineIsAnEmptyText() {
        assertThat(all(bytes("\n\r\n"))).containsExactly(new Line(""), new Line(""));
    }

    @Test
    void aLineOfExactlyTheMaximumIsAccepted() {
        String longest = "x".repeat(MAX);
        assertThat(all(bytes(longest + "\n"))).containsExactly(new Line(longest));
        assertThat(all(bytes(longest + "\r\n"))).containsExactly(new Line(longest));
    }

    @Test
    void aLineOneByteTooLongIsRefusedAndTheNextLineWorks() {
        assertThat(all(bytes("x".repeat(MAX + 1) + "\nNOOP\n")))
                .containsExactly(new Invalid("line too long (max 8192 bytes)"), new Line("NOOP"));
    }

    @Test
    void aLineOneByteTooLongIsRefusedEvenWithItsCr() {
        assertThat(all(bytes("x".repeat(MAX + 1) + "\r\nNOOP\n")))
                .containsExactly(new Invalid("line too long (max 8192 bytes)"), new Line("NOOP"));
    }

    @Test
    void aVeryLongLineIsDiscardedUpToItsLfAcrossManyBuffers() {
        for (int i = 0; i < 10; i++) {
            assertThat(decoder.next(bytes("y".repeat(5000)))).isNull();
        }
        assertThat(decoder.hasPartialLine()).isTrue();
        assertThat(all(bytes("yy\nPWD\n")))
                .containsExactly(new Invalid("line too long (max 8192 bytes)"), new Line("PWD"));
        assertThat(decoder.hasPartialLine()).isFalse();
    }

    @Test
    void invalidUtf8IsRefusedAndTheNextLineWorks() {
        ByteBuffer in = bytes((byte) 'L', (byte) 'S', (byte) ' ', (byte) 0xC3, (byte) 0x28, (byte) '\n',
                (byte) 'N', (byte) 'O', (byte) 'O', (byte) 'P', (byte) '\n');
        assertThat(all(in)).containsExactly(new Invalid("line is not valid UTF-8"), new Line("NOOP"));
    }

    @Test
    void overlongEncodingsAndLoneSurrogatesAreNotUtf8() {
        assertThat(all(bytes((byte) 0xC0, (byte) 0xAF, (byte) '\n'))).containsExactly(new Invalid("line is not valid UTF-8"));
        assertThat(all(bytes((byte) 0xED, (byte) 0xA0, (byte) 0x80, (byte) '\n'))).containsExactly(new Invalid("line is not valid UTF-8"));
        assertThat(all(bytes((byte) 0xFF, (byte) '\n'))).containsExactly(new Invalid("line is not valid UTF-8"));
    }

    @Test
    void controlCharactersAreRefusedButTabIsAllowed() {
        assertThat(all(bytes("LS\ta\n"))).containsExactly(new Line("LS\ta"));
        assertThat(all(bytes("LS \u0001\n"))).containsExactly(new Invalid("control character 0x1 in line"));
        assertThat(all(bytes("LS \u001b[2J\n"))).containsExactly(new Invalid("control character 0x1b in line"));
        assertThat(all(bytes("LS \u007f\n"))).containsExactly(new Invalid("control character 0x7f in line"));
        assertThat(all(bytes("LS \u0085\n"))).containsExactly(new Invalid("control character 0x85 in line"));
        assertThat(all(bytes("LS \u009b2J\n"))).containsExactly(new Invalid("control character 0x9b in line"));
        assertThat(all(bytes("LS \u00a0\u2028\n"))).as("not control characters").containsExactly(new Line("LS \u00a0\u2028"));
    }

    @Test
    void aNulIsRefused() {
        assertThat(all(bytes((byte) 'L', (byte) 'S', (byte) 0, (byte) 'x', (byte) '\n')))
                .containsExactly(new Invalid("control character 0x0 in line"));
    }

    @Test
    void multiByteCharactersMayBeSplitAcrossBuffers() {
        byte[] line = "CD caf\u00e9 \u65e5\u672c\n".getBytes(StandardCharsets.UTF_8);
        List<Item> items = new ArrayList<>();
        for (byte b : line) {
            Item item = decoder.next(bytes(b));
            if (item != null) {
                items.add(item);
            }
        }
        assertThat(items).containsExactly(new Line("CD caf\u00e9 \u65e5\u672c"));
    }

    @Test
    void aCrLfMayBeSplitAcrossBuffers() {
        assertThat(decoder.next(bytes("NOOP\r"))).isNull();
        assertThat(decoder.hasPartialLine()).isTrue();
        assertThat(decoder.next(bytes("\n"))).isEqualTo(new Line("NOOP"));
    }

    @Test
    void bytesAfterALineStayInTheBuffer() {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        raw.writeBytes("DATA 0123\n".getBytes(StandardCharsets.UTF_8));
        byte[] upload = {0, 1, 2, (byte) 0xFF, '\n', 'x'};
        raw.writeBytes(upload);
        ByteBuffer in = ByteBuffer.wrap(raw.toByteArray());

        assertThat(decoder.next(in)).isEqualTo(new Line("DATA 0123"));

        byte[] rest = new byte[in.remaining()];
        in.get(rest);
        assertThat(rest).isEqualTo(upload);
    }

    @Test
    void aPartialLineIsKeptUntilItsLfArrives() {
        assertThat(decoder.next(bytes("MAKE"))).isNull();
        assertThat(decoder.next(bytes("DIR a"))).isNull();
        ByteBuffer in = bytes("\nrest");
        assertThat(decoder.next(in)).isEqualTo(new Line("MAKEDIR a"));
        assertThat(decoder.hasPartialLine()).isFalse();
        assertThat(in.remaining()).as("what follows the line is not consumed").isEqualTo(4);
    }
}
