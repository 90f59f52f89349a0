package dev.netdisk.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The NOTIFY payloads of {@link ClusterEvent}: what they carry, their size limit, bad input. */
class ClusterEventTest {

    @Test
    void eachKindReadsBackAsItWasWritten() {
        for (ClusterEvent e : List.of(ClusterEvent.chat("0123abcd", 42, new long[] {7, 8}),
                ClusterEvent.presence(ClusterEvent.Kind.ONLINE, "0123abcd", 7, "bob"),
                ClusterEvent.presence(ClusterEvent.Kind.OFFLINE, "0123abcd", 7, "bob"),
                ClusterEvent.read("0123abcd", 7, "alice", 42), ClusterEvent.read("0123abcd", 7, "#team", 43))) {
            assertThat(e.payloads()).singleElement().satisfies(p -> assertThat(ClusterEvent.parse(p)).isEqualTo(e));
        }
        assertThat(ClusterEvent.chat("s", 42, new long[] {7, 8}).payloads()).containsExactly("C s 42 7,8");
        assertThat(ClusterEvent.read("s", 7, "#team", 43).payloads()).containsExactly("R s 7 43 #team");
    }

    @Test
    void aMessageToManyIsSplitUnderTheLimitWithEveryRecipientOnce() {
        long[] many = new long[5_000];
        for (int i = 0; i < many.length; i++) {
            many[i] = Long.MAX_VALUE - i;
        }
        List<String> payloads = ClusterEvent.chat("0123456789abcdef", 9, many).payloads();
        assertThat(payloads).hasSizeGreaterThan(10)
                .allSatisfy(p -> assertThat(p.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                        .isLessThanOrEqualTo(ClusterEvent.MAX_PAYLOAD));
        Set<Long> got = new HashSet<>();
        for (String p : payloads) {
            ClusterEvent e = ClusterEvent.parse(p);
            assertThat(e.messageId()).isEqualTo(9);
            for (long id : e.userIds()) {
                assertThat(got.add(id)).isTrue();
            }
        }
        assertThat(got).hasSize(many.length);
    }

    @Test
    void whatIsNotAnEventIsRefused() {
        for (String bad : List.of("", "C", "C s 1", "X s 1 2", "C s x 7", "C s 1 7,,8", "+ s bob 7",
                "R s 7 43", "R s 7 x bob", "R s bob 43 alice", "R s 7 43 two words", "R s 7 43 ")) {
            assertThatThrownBy(() -> ClusterEvent.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
