package dev.netdisk.cli.client;

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
}
