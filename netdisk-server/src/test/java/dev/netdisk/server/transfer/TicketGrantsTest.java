package dev.netdisk.server.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netdisk.protocol.RemotePath;
import dev.netdisk.server.store.Node;
import dev.netdisk.server.store.PartialUploads;
import dev.netdisk.server.store.User;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A ticket's row grants exactly what the ticket did: the server that takes it rebuilds it as issued. */
class TicketGrantsTest {

    private static final User ALICE = new User(3, "alice");
    private static final Instant EXPIRY = Instant.ofEpochMilli(1_800_000_000_123L);
    private static final RemotePath PATH = RemotePath.ROOT.child("a dir").child("naïve \"file\".txt");

    @Test
    void everyKindReadsBackEqual() {
        for (Ticket t : List.of(
                new Ticket.Upload(ALICE, PATH, 1_000_000, "0123456789abcdef0123456789abcdef", 1_700_000_000_000L, 65_536,
                        true, new PartialUploads.Partial(12, 3, PATH.toString(), 1_000_000, "0123456789abcdef0123456789abcdef",
                        "blob-1"), EXPIRY),
                new Ticket.Upload(ALICE, PATH, 5, null, null, 0, false,
                        PartialUploads.notKept(3, PATH, 5, PartialUploads.DEFERRED_MD5, "blob-2"), EXPIRY),
                new Ticket.Download(ALICE, PATH, new Node(9, 2, "naïve \"file\".txt", false, 42,
                        "0123456789abcdef0123456789abcdef", "blob-3", 1_600_000_000_000L), 17, EXPIRY),
                new Ticket.Batch(ALICE, EXPIRY))) {
            assertThat(TicketGrants.decode(TicketGrants.encode(t))).isEqualTo(t);
        }
    }

    @Test
    void anotherVersionOrTrailingBytesAreRefused() {
        byte[] grant = TicketGrants.encode(new Ticket.Batch(ALICE, EXPIRY));
        byte[] otherVersion = grant.clone();
        otherVersion[0] = 2;
        assertThatThrownBy(() -> TicketGrants.decode(otherVersion)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 2");
        byte[] longer = java.util.Arrays.copyOf(grant, grant.length + 1);
        assertThatThrownBy(() -> TicketGrants.decode(longer)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TicketGrants.decode(new byte[] {1})).isInstanceOf(IllegalArgumentException.class);
    }
}
