package dev.netdisk.server.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.protocol.EncodedReply;
import dev.netdisk.server.protocol.WireBuilder;
import dev.netdisk.server.store.Node;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EntriesTest {

    /** The hand-written timestamp equals the formatter's, at edges of days, years and the four-digit range. */
    @ParameterizedTest
    @ValueSource(longs = {0L, 1L, 999L, 1_000L, 86_399_999L, 86_400_000L, -1L, -86_400_001L, 951_782_400_000L,
            1_795_269_000_123L, 4_102_444_799_999L, 253_402_300_799_999L, 253_402_300_800_000L, -62_135_596_800_000L,
            -62_135_596_800_001L})
    void timestampsMatchTheFormatter(long millis) {
        String expected = Entries.TIMESTAMP.format(Instant.ofEpochMilli(millis));
        Node file = new Node(1, 0, "a b", false, 12, "6f5902ac237024bdd0c176cb93063dc4", "blob", millis);
        assertThat(Entries.format(file, "a b")).isEqualTo("f 12 " + expected + " 6f5902ac237024bdd0c176cb93063dc4 a b");

        WireBuilder out = new WireBuilder(ReplyCode.DIRECTORY_STATUS, 0);
        out.continuation();
        Entries.write(out, true, 0, millis, null, "grüße".getBytes(StandardCharsets.UTF_8));
        out.endLine();
        EncodedReply reply = out.finish("1 entry");
        assertThat(new String(reply.bytes(), StandardCharsets.UTF_8))
                .isEqualTo("212-d 0 " + expected + " - grüße\n212 1 entry\n");
    }
}
