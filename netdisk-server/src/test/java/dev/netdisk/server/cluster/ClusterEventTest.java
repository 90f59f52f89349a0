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
        assertThat(ClusterEvent.read("s", 7, "#team", 43).payloads()).containsExactly("M s 7 43 #team");
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
                "M s 7 43", "M s 7 x bob", "M s bob 43 alice", "M s 7 43 two words", "M s 7 43 ")) {
            assertThatThrownBy(() -> ClusterEvent.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aRevocationReadsBackWithSpacesAndUnicodeInItsFields() {
        for (ClusterEvent.Revocation r : List.of(
                new ClusterEvent.Revocation(ClusterEvent.Scope.USER, "bob", null, "account disabled by the administrator"),
                new ClusterEvent.Revocation(ClusterEvent.Scope.SESSIONS, "bob", null, "password changed"),
                new ClusterEvent.Revocation(ClusterEvent.Scope.LINK, "Ab3dE", null, "link Ab3dE revoked"),
                new ClusterEvent.Revocation(ClusterEvent.Scope.SHARE, "carol", "/shared/alice/my docs/\u6587\u4ef6 %+",
                        "share of /my docs by alice ended"))) {
            ClusterEvent e = ClusterEvent.revoke("0123abcd", r);
            assertThat(e.payloads()).singleElement().satisfies(p -> {
                assertThat(p).startsWith("R 0123abcd ").doesNotContain("  ");
                assertThat(ClusterEvent.parse(p)).isEqualTo(e);
            });
        }
    }

    @Test
    void aSharePathTooLongForOnePayloadIsWidenedToTheOwnersShares() {
        // 1,000 characters of 3 UTF-8 bytes each, 9 once URL-encoded: longer than a payload may be.
        String longPath = "/shared/alice/" + "\u6587".repeat(80) + ("/" + "\u4ef6".repeat(80)).repeat(12);
        ClusterEvent e = ClusterEvent.revoke("s",
                new ClusterEvent.Revocation(ClusterEvent.Scope.SHARE, "carol", longPath, "share ended"));
        ClusterEvent back = ClusterEvent.parse(e.payloads().get(0));
        assertThat(e.payloads().get(0).length()).isLessThanOrEqualTo(ClusterEvent.MAX_PAYLOAD);
        assertThat(back.revocation().path()).isEqualTo("/shared/alice");
        assertThat(back.revocation().subject()).isEqualTo("carol");
    }

    @Test
    void whatIsNotARevocationIsRefused() {
        for (String bad : List.of("R s", "R s U", "R s U bob", "R s Q bob why", "R s S carol why",
                "R s S carol /home/x why", "R s U %zz why", "R s L  why", "R s U bob why extra")) {
            assertThatThrownBy(() -> ClusterEvent.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void noticesFriendshipsAndGroupChangesReadBack() {
        for (ClusterEvent e : List.of(ClusterEvent.notice("s", 7, "* GROUP INVITED #team alice"),
                ClusterEvent.friends("s", 7, 8), ClusterEvent.group("s", 42))) {
            assertThat(e.payloads()).singleElement().satisfies(p -> assertThat(ClusterEvent.parse(p)).isEqualTo(e));
        }
        assertThat(ClusterEvent.group("s", 42).payloads()).containsExactly("G s 42 members");
        assertThatThrownBy(() -> ClusterEvent.notice("s", 7, "* A\n* B")).isInstanceOf(IllegalArgumentException.class);
        for (String bad : List.of("G s 42", "G s 42 other", "F s 7", "F s 7 x", "N s x * A")) {
            assertThatThrownBy(() -> ClusterEvent.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
