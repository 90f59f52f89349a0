package dev.netdisk.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.protocol.Reply;
import dev.netdisk.server.store.Quotas;
import dev.netdisk.server.store.Trash;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The running quota totals ({@code users.used_bytes}, {@code users.trash_bytes}) that {@code QUOTA}
 * and every quota check read stay equal to the sums over the tree after every kind of change.
 */
class UsageTotalsTest extends ServerTestSupport {

    private ProtocolClient alice;
    private ProtocolClient bob;
    private Quotas quotas;
    private long aliceId;
    private long bobId;

    @BeforeEach
    void logIn() throws Exception {
        alice = loggedIn("alice");
        bob = loggedIn("bob");
        quotas = new Quotas(server.database(), server.config().storage().defaultQuotaBytes());
        aliceId = server.users().find("alice").orElseThrow().id();
        bobId = server.users().find("bob").orElseThrow().id();
    }

    @Test
    void totalsFollowEveryKindOfChange() throws Exception {
        expect(0, 0);
        alice.command("MAKEDIR -p docs/sub");
        assertThat(upload(alice, "docs/a.txt", Payload.of("0123456789")).code()).isEqualTo(226);
        assertThat(upload(alice, "docs/sub/b.txt", Payload.of("abcde")).code()).isEqualTo(226);
        expect(15, 0);

        // Overwrite with a bigger, then a smaller file.
        assertThat(upload(alice, "docs/a.txt", Payload.of("0123456789012345"), "--overwrite").code()).isEqualTo(226);
        expect(21, 0);
        assertThat(upload(alice, "docs/a.txt", Payload.of("01"), "--overwrite").code()).isEqualTo(226);
        expect(7, 0);

        // A copy counts in full, a move and a rename change nothing.
        assertThat(alice.command("COPY docs copy").code()).isEqualTo(250);
        expect(14, 0);
        assertThat(alice.command("MV copy/a.txt moved.txt").code()).isEqualTo(250);
        expect(14, 0);

        // Sharing changes nothing; the recipient is not charged.
        alice.command("FRIEND ADD bob");
        bob.command("FRIEND ACCEPT alice");
        assertThat(alice.command("SHARE docs WITH bob").code()).isEqualTo(250);
        expect(14, 0);
        assertThat(quotas.usage(bobId).used()).isZero();

        // The trash: a file, a directory, restore, empty.
        long file = alice.command("RM moved.txt").longParam("trash");
        expect(14, 2);
        long dir = alice.command("RM -r docs").longParam("trash");
        expect(14, 9);
        assertThat(alice.command("TRASH RESTORE " + file).code()).isEqualTo(250);
        expect(14, 7);
        assertThat(alice.command("TRASH EMPTY").code()).isEqualTo(250);
        expect(7, 0);
        assertThat(alice.command("TRASH RESTORE " + dir).code()).isEqualTo(550);

        // Expiry, as the hourly sweep runs it.
        alice.command("RM -r copy");
        expect(7, 5);
        Clock later = Clock.offset(Clock.systemUTC(), Duration.ofDays(400));
        new Trash(server.database(), server.blobs(), later,
                server.config().storage().trashTtl()).expire();
        expect(2, 0);

        // A refused upload (no space) and a rejected checksum leave the totals alone.
        Reply bad = uploadTicket(alice, "bad.txt", Payload.of("right bytes"));
        try (ProtocolClient data = openData(bad.param("ticket"))) {
            data.sendBytes(Payload.of("wrong bytes"), 0, 11);
            assertThat(data.reply().code()).isEqualTo(554);
        }
        expect(2, 0);
    }

    @Test
    void theQuotaReplyShowsTheRunningTotals() throws Exception {
        upload(alice, "x.txt", Payload.of("12345"));
        alice.command("COPY x.txt y.txt");
        alice.command("RM y.txt");
        Reply quota = alice.command("QUOTA");
        assertThat(quota.longParam("used")).isEqualTo(10);
        assertThat(quota.longParam("trash")).isEqualTo(5);
        expect(10, 5);
    }

    /** The running totals equal the expected bytes and what a full recount of the tree gives. */
    private void expect(long used, long trash) throws Exception {
        Quotas.Usage running = quotas.usage(aliceId);
        Quotas.Usage counted = quotas.recount(aliceId);
        assertThat(running).isEqualTo(counted);
        assertThat(running.used()).as("used").isEqualTo(used);
        assertThat(running.trash()).as("trash").isEqualTo(trash);
    }
}
