package dev.netdisk.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.netdisk.protocol.Md5;
import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.protocol.Reply;
import java.io.IOException;
import java.security.MessageDigest;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SHARE, UNSHARE, the /shared view and FETCH over a raw socket (docs/PROTOCOL.md section 9). */
class SharingConversationTest extends ServerTestSupport {

    private ProtocolClient alice;
    private ProtocolClient bob;
    private ProtocolClient carol;
    private final Payload report = Payload.of("the report\n");
    private final Payload secret = Payload.of("not shared\n");

    @BeforeEach
    void aliceHasFilesAndBobIsHerFriend() throws IOException {
        alice = loggedIn("alice");
        bob = loggedIn("bob");
        carol = loggedIn("carol");
        assertThat(alice.command("FRIEND ADD bob").code()).isEqualTo(250);
        assertThat(bob.command("FRIEND ACCEPT alice").code()).isEqualTo(250);
        alice.command("MAKEDIR -p docs/pub/deep");
        upload(alice, "docs/pub/report.txt", report);
        upload(alice, "docs/secret.txt", secret);
        upload(alice, "docs/pub/deep/x.txt", Payload.of("x"));
    }

    @Test
    void aShareIsSeenByTheFriendAndNotByAStranger() throws IOException {
        assertThat(alice.command("SHARE docs/pub WITH bob")).hasToString(
                "250 shared \"/docs/pub\" with bob as \"/shared/alice/pub\"");

        assertThat(ls(bob, "/shared")).singleElement().asString().endsWith(" - alice");
        assertThat(ls(bob, "/shared/alice")).singleElement().asString().matches("d 0 \\S+ - pub");
        assertThat(ls(bob, "/shared/alice/pub")).hasSize(2);
        assertThat(bob.command("STAT /shared/alice/pub/report.txt").text()).endsWith(report.md5() + " report.txt");
        assertThat(download(bob, "/shared/alice/pub/report.txt", 0)).isEqualTo(report.md5());
        assertThat(bob.command("CD /shared/alice/pub/deep").code()).isEqualTo(250);
        assertThat(ls(bob, "")).singleElement().asString().endsWith(" x.txt");
        assertThat(bob.command("DU /shared/alice/pub").text()).startsWith("size=12 files=2 dirs=2");

        assertThat(carol.command("LS /shared")).hasToString("212 0 entries");
        assertThat(carol.command("LS /shared/alice").code()).isEqualTo(550);
        assertThat(carol.command("DOWNLOAD /shared/alice/pub/report.txt").code()).isEqualTo(550);
    }

    @Test
    void aShareNeverLeadsOutsideWhatWasShared() throws IOException {
        alice.command("SHARE docs/pub WITH bob");
        assertThat(bob.command("DOWNLOAD /shared/alice/pub/../secret.txt")).hasToString(
                "550 no such file: /shared/alice/secret.txt");
        assertThat(bob.command("DOWNLOAD /shared/alice/pub/../../alice/docs/secret.txt").code()).isEqualTo(550);
        assertThat(bob.command("LS /shared/alice/docs").code()).isEqualTo(550);
        assertThat(bob.command("LS /shared/alice/pub/../../..").code()).isEqualTo(212); // bob's own root
        assertThat(bob.command("LS /shared/alice/pub/../../../..").code()).isEqualTo(553);
        bob.command("CD /shared/alice/pub");
        assertThat(bob.command("STAT ../secret.txt").code()).isEqualTo(550);
        assertThat(bob.command("LS ..").lines().get(0)).endsWith(" - pub");
    }

    @Test
    void aShareIsReadOnly() throws IOException {
        alice.command("SHARE docs/pub WITH bob");
        Payload other = Payload.of("other");
        assertThat(bob.command("UPLOAD /shared/alice/pub/new.txt 5 " + other.md5())).hasToString(
                "550 read-only: shared by alice: /shared/alice/pub/new.txt");
        assertThat(bob.command("UPLOAD /shared/alice/pub/report.txt 5 " + other.md5() + " --overwrite").code())
                .isEqualTo(550);
        assertThat(bob.command("MAKEDIR /shared/alice/pub/d").code()).isEqualTo(550);
        assertThat(bob.command("MAKEDIR /shared")).hasToString(
                "550 read-only: /shared is the view of what friends share with you: /shared");
        assertThat(bob.command("RM /shared/alice/pub/report.txt").code()).isEqualTo(550);
        assertThat(bob.command("RM -r /shared/alice/pub").code()).isEqualTo(550);
        assertThat(bob.command("MV /shared/alice/pub/report.txt mine.txt").code()).isEqualTo(550);
        assertThat(bob.command("SHARE /shared/alice/pub WITH alice").code()).isEqualTo(550);
        assertThat(bob.command("SHARE LINK /shared/alice/pub/report.txt").code()).isEqualTo(550);
        // Reading is allowed, copying into one's own tree included.
        assertThat(bob.command("COPY /shared/alice/pub/report.txt mine.txt").code()).isEqualTo(250);
        assertThat(download(bob, "mine.txt", 0)).isEqualTo(report.md5());
        assertThat(download(alice, "docs/pub/report.txt", 0)).isEqualTo(report.md5());
    }

    @Test
    void shareRefusals() throws IOException {
        assertThat(alice.command("SHARE docs WITH carol")).hasToString(
                "550 carol is not your friend; FRIEND ADD carol first");
        assertThat(alice.command("SHARE docs WITH nobody")).hasToString("550 no such user: nobody");
        assertThat(alice.command("SHARE docs WITH alice").code()).isEqualTo(501);
        assertThat(alice.command("SHARE missing WITH bob")).hasToString("550 no such file or directory: /missing");
        assertThat(alice.command("SHARE / WITH bob").code()).isEqualTo(553);
        assertThat(alice.command("SHARE docs WITH bob").code()).isEqualTo(250);
        assertThat(alice.command("SHARE docs WITH bob")).hasToString("521 already shared with bob: /docs");
        alice.command("MAKEDIR other");
        alice.command("MAKEDIR other/docs");
        assertThat(alice.command("SHARE other/docs WITH bob")).hasToString(
                "521 bob already has a share named \"docs\" from you");
        assertThat(alice.command("SHARE").code()).isEqualTo(501);
        assertThat(alice.command("SHARE docs TO bob").code()).isEqualTo(501);
    }

    @Test
    void shareListUnshareAndEndingAFriendship() throws IOException {
        alice.command("SHARE docs/pub WITH bob");
        alice.command("SHARE docs/secret.txt WITH bob");
        assertThat(alice.command("SHARE LIST").lines()).containsExactly(
                "out bob /docs/pub", "out bob /docs/secret.txt", "2 shares");
        assertThat(bob.command("SHARE LIST").lines()).containsExactly(
                "in alice /shared/alice/pub", "in alice /shared/alice/secret.txt", "2 shares");
        // A rename by the owner keeps the share, under the name it was shared with.
        alice.command("MV docs/pub docs/public");
        assertThat(alice.command("SHARE LIST").lines().get(0)).isEqualTo("out bob /docs/public");
        assertThat(download(bob, "/shared/alice/pub/report.txt", 0)).isEqualTo(report.md5());

        assertThat(alice.command("UNSHARE docs/secret.txt bob")).hasToString(
                "250 removed=1 stopped sharing \"/docs/secret.txt\" with bob");
        assertThat(bob.command("STAT /shared/alice/secret.txt").code()).isEqualTo(550);
        assertThat(alice.command("UNSHARE docs/secret.txt")).hasToString("550 not shared: /docs/secret.txt");
        assertThat(alice.command("UNSHARE docs/public carol")).hasToString("550 not shared with carol: /docs/public");

        bob.command("FRIEND REMOVE alice");
        assertThat(bob.command("LS /shared")).hasToString("212 0 entries");
        assertThat(bob.command("SHARE LIST")).hasToString("211 0 shares");
    }

    @Test
    void trashingASharedEntryEndsItsShare() throws IOException {
        alice.command("SHARE docs/pub WITH bob");
        alice.command("RM -r docs");
        assertThat(bob.command("LS /shared/alice/pub").code()).isEqualTo(550);
        assertThat(alice.command("SHARE LIST")).hasToString("211 0 shares");
    }

    // ---- links ----

    @Test
    void aLinkLetsAnyLoggedInUserFetchTheFile() throws IOException {
        Reply link = alice.command("SHARE LINK docs/pub/report.txt");
        assertThat(link.code()).isEqualTo(250);
        String code = link.param("code");
        assertThat(code).matches("[a-z2-7]{16}");
        assertThat(link.param("expires")).isEqualTo("never");
        assertThat(link.text()).endsWith("link to \"/docs/pub/report.txt\"; anyone logged in can FETCH " + code);

        Reply fetch = carol.command("FETCH " + code);
        assertThat(fetch.text()).matches("ticket=[0-9a-f]{32} offset=0 size=11 md5=" + report.md5() + " mtime=[0-9]+ file report.txt");
        assertThat(receive(fetch)).isEqualTo(report.md5());
        assertThat(carol.command("FETCH " + code.toUpperCase() + " 4").param("offset")).isEqualTo("4");

        assertThat(alice.command("SHARE LINKS").lines()).containsExactly(
                code + " never /docs/pub/report.txt", "1 link");
        assertThat(carol.command("UNSHARE LINK " + code)).hasToString("550 no such link: " + code);
        // carol's unused ticket from the FETCH at offset 4 goes with the link.
        assertThat(alice.command("UNSHARE LINK " + code)).hasToString("250 link " + code + " revoked; 1 ticket(s) revoked");
        assertThat(carol.command("FETCH " + code)).hasToString("550 no such link: " + code);
    }

    @Test
    void anExpiredLinkIsRefused() throws Exception {
        Reply link = alice.command("SHARE LINK docs/secret.txt --expires 1s");
        assertThat(link.param("expires")).matches("\\d{4}-.*Z");
        String code = link.param("code");
        assertThat(bob.command("FETCH " + code).code()).isEqualTo(350);
        // Past the second the link lived, FETCH is refused (polled: no sleeping to synchronize).
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> bob.command("FETCH " + code).code() == 550);
        assertThat(bob.command("FETCH " + code).text()).isEqualTo(
                "link expired at " + link.param("expires") + ": " + code);
        assertThat(alice.command("SHARE LINK docs/secret.txt --expires 7d").param("expires")).isNotEqualTo("never");
    }

    @Test
    void linkRefusals() throws IOException {
        assertThat(alice.command("SHARE LINK docs")).hasToString(
                "550 is a directory: /docs (links are for files; SHARE path WITH a friend shares a directory)");
        assertThat(alice.command("SHARE LINK missing").code()).isEqualTo(550);
        assertThat(alice.command("SHARE LINK docs/secret.txt --expires soon").code()).isEqualTo(501);
        assertThat(alice.command("SHARE LINK docs/secret.txt --expires").code()).isEqualTo(501);
        assertThat(alice.command("SHARE LINK docs/secret.txt --expires 0d").code()).isEqualTo(501);
        assertThat(alice.command("SHARE LINK").code()).isEqualTo(501);
        assertThat(bob.command("FETCH nosuchcodeatall")).hasToString("550 no such link: nosuchcodeatall");
        assertThat(bob.command("FETCH").code()).isEqualTo(501);
        String code = alice.command("SHARE LINK docs/secret.txt").param("code");
        assertThat(bob.command("FETCH " + code + " 999").code()).isEqualTo(501);
        alice.command("RM docs/secret.txt");
        assertThat(bob.command("FETCH " + code).code()).isEqualTo(550);
        assertThat(alice.command("SHARE LINKS")).hasToString("211 0 links");
    }

    /** Receives the bytes of a 350 ticket reply; returns their MD5. */
    private String receive(Reply ticket) throws IOException {
        try (ProtocolClient data = connect()) {
            assertThat(data.command("DATA " + ticket.param("ticket")).code()).isEqualTo(150);
            MessageDigest md5 = Payload.newMd5();
            data.readBytes(ticket.longParam("size") - ticket.longParam("offset"), md5);
            assertThat(data.reply().code()).isEqualTo(226);
            return Md5.hex(md5);
        }
    }
}
