package dev.netdisk.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LineInputTest {

    @Test
    void readsLinesDropsCrAndLeavesRawBytesInTheStream() throws Exception {
        byte[] wire = "220 hi\r\n150 sending 3 bytes from offset 0\n\u0000\u0001\n226 done\n".getBytes(StandardCharsets.UTF_8);
        LineInput in = new LineInput(new BufferedInputStream(new ByteArrayInputStream(wire)));
        assertThat(in.readLine()).isEqualTo("220 hi");
        assertThat(in.readLine()).isEqualTo("150 sending 3 bytes from offset 0");
        byte[] raw = in.stream().readNBytes(3);
        assertThat(raw).containsExactly(0, 1, '\n');
        assertThat(in.readLine()).isEqualTo("226 done");
        assertThat(in.readLine()).isNull();
    }

    @Test
    void decodesUtf8() throws Exception {
        LineInput in = new LineInput(new ByteArrayInputStream("212-f 1 2026-11-21T13:50:00.123Z - grüße\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(in.readLine()).endsWith("grüße");
    }

    @Test
    void linesSpanningManyReadsAndRawBytesAfterThem() throws Exception {
        StringBuilder wire = new StringBuilder();
        String longLine = "212-" + "é".repeat(20_000);  // 40 KB: longer than the buffer
        wire.append(longLine).append("\r\n");
        for (int i = 0; i < 5_000; i++) {
            wire.append("212-f ").append(i).append(" 2026-11-21T13:50:00.123Z - name ").append(i).append("\r\n");
        }
        wire.append("150 raw\n");
        byte[] head = wire.toString().getBytes(StandardCharsets.UTF_8);
        byte[] all = java.util.Arrays.copyOf(head, head.length + 4);
        all[head.length] = 'x';
        all[head.length + 1] = '\n';
        all[head.length + 2] = '\r';
        all[head.length + 3] = 7;
        // A stream that returns a few bytes per read puts line ends, CRs and UTF-8 sequences at every boundary.
        LineInput in = new LineInput(new TrickleStream(all, 7));
        assertThat(in.readLine()).isEqualTo(longLine);
        for (int i = 0; i < 5_000; i++) {
            assertThat(in.readLine()).isEqualTo("212-f " + i + " 2026-11-21T13:50:00.123Z - name " + i);
        }
        assertThat(in.readLine()).isEqualTo("150 raw");
        assertThat(in.stream().readAllBytes()).containsExactly('x', '\n', '\r', 7);
        assertThat(in.readLine()).isNull();
    }

    @Test
    void anUnterminatedLastLineAndAnOverlongLine() throws Exception {
        LineInput in = new LineInput(new ByteArrayInputStream("220 a\npartial".getBytes(StandardCharsets.UTF_8)));
        assertThat(in.readLine()).isEqualTo("220 a");
        assertThat(in.readLine()).isEqualTo("partial");
        assertThat(in.readLine()).isNull();

        LineInput tooLong = new LineInput(new ByteArrayInputStream(new byte[LineInput.MAX_LINE + 10]));
        org.assertj.core.api.Assertions.assertThatThrownBy(tooLong::readLine)
                .isInstanceOf(ProtocolException.class).hasMessageContaining("line longer than");
    }

    /** Returns at most {@code step} bytes per read. */
    private static final class TrickleStream extends ByteArrayInputStream {
        private final int step;

        TrickleStream(byte[] bytes, int step) {
            super(bytes);
            this.step = step;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, step));
        }
    }
}
