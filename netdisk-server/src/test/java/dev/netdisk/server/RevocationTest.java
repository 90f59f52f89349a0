package dev.netdisk.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.protocol.Reply;
import dev.netdisk.server.app.ServerMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Revocation takes effect at once (issue 22, finding 4): after {@code LOGOUT}, a password change
 * (the user's own {@code PASSWD}, or {@code user passwd}), {@code user disable}, {@code UNSHARE} and
 * {@code UNSHARE LINK}, the tickets issued under what was revoked are refused with {@code 425 ticket
 * revoked: WHY}, and transfers running on them are stopped.
 */
class RevocationTest extends ServerTestSupport {

    private static final int MIB = 1 << 20;

    @Test
    void logoutRevokesTheSessionsTicketsAndStopsItsUploadButNotAnotherSessions() throws IOException {
        ProtocolClient alice = loggedIn("alice");
        ProtocolClient otherSession = loggedIn("alice");
        Payload content = Payload.random(1, 4 * MIB);
        Reply unused = uploadTicket(alice, "unused.bin", content);
        Reply running = uploadTicket(alice, "running.bin", content);
        Reply others = uploadTicket(otherSession, "others.bin", content);
        try (ProtocolClient data = openData(running.param("ticket"))) {
            data.sendBytes(content, 0, MIB);
            assertThat(alice.command("LOGOUT")).hasToString("200 logged out; 2 ticket(s) revoked");
            // An upload's client reads only its final line: it is told why before the connection closes.
            assertThat(data.reply()).hasToString("421 transfer stopped: logged out");
            assertThat(data.isClosedByServer()).isTrue();
        }
        try (ProtocolClient data = connect()) {
            assertThat(data.command("DATA " + unused.param("ticket"))).hasToString("425 ticket revoked: logged out");
        }
        try (ProtocolClient data = openData(others.param("ticket"))) {
            data.sendBytes(content, 0, content.size());
            assertThat(data.reply().code()).isEqualTo(226);
        }
    }

    @Test
    void aPasswordChangeEndsTheOtherSessionsAndTheirTicketsAndKeepsThisOne() throws IOException {
        ProtocolClient alice = loggedIn("alice");
        ProtocolClient other = loggedIn("alice");
        Reply ticket = uploadTicket(other, "x.bin", Payload.of("hello"));

        assertThat(alice.command("PASSWD wrong-password new-password-1").code()).isEqualTo(550);
        assertThat(alice.command("PASSWD " + PASSWORD + " short").code()).isEqualTo(501);
        assertThat(alice.command("PASSWD " + PASSWORD + " new-password-1"))
                .hasToString("200 password changed; 1 other session(s) ended; 1 ticket(s) revoked");
        assertThat(other.readLine()).isEqualTo("421 password changed");
        try (ProtocolClient data = connect()) {
            assertThat(data.command("DATA " + ticket.param("ticket"))).hasToString("425 ticket revoked: password changed");
        }
        assertThat(alice.command("PWD").code()).isEqualTo(257);
        try (ProtocolClient c = connect()) {
            assertThat(c.command("LOGIN alice " + PASSWORD).code()).isEqualTo(530);
            assertThat(c.command("LOGIN alice new-password-1").code()).isEqualTo(230);
        }
    }

    @Test
    void keepSessionsKeepsTheOtherSessionsAndTheirSavedTokens() throws IOException {
        ProtocolClient alice = loggedIn("alice");
        register("alice");
        ProtocolClient other = connect();
        String token = other.command("LOGIN alice " + PASSWORD).param("token");
        Reply ticket = uploadTicket(other, "x.bin", Payload.of("hello"));
        assertThat(alice.command("PASSWD " + PASSWORD + " new-password-1 --keep-sessions"))
                .hasToString("200 password changed; other sessions kept");
        assertThat(other.command("NOOP").code()).isEqualTo(200);
        try (ProtocolClient data = openData(ticket.param("ticket"))) {
            data.sendBytes(Payload.of("hello"), 0, 5);
            assertThat(data.reply().code()).isEqualTo(226);
        }
        try (ProtocolClient c = connect()) {
            assertThat(c.command("LOGIN TOKEN " + token).code()).isEqualTo(230);
        }
    }

    @Test
    void userDisableAndUserPasswdRevokeTicketsAtOnce() throws IOException {
        ProtocolClient bob = loggedIn("bob");
        Reply first = uploadTicket(bob, "a.bin", Payload.of("hello"));
        Path passwordFile = tempDir.resolve("pw");
        Files.writeString(passwordFile, "another-password\n");
        assertThat(ServerMain.commandLine().execute("user", "passwd", "bob", "--password-file=" + passwordFile,
                "--data-dir=" + dataDir())).isZero();
        assertThat(bob.readLine()).isEqualTo("421 password changed by the administrator");
        try (ProtocolClient data = connect()) {
            assertThat(data.command("DATA " + first.param("ticket")))
                    .hasToString("425 ticket revoked: password changed by the administrator");
        }

        ProtocolClient again = connect();
        assertThat(again.command("LOGIN bob another-password").code()).isEqualTo(230);
        Reply second = uploadTicket(again, "b.bin", Payload.of("hello"));
        assertThat(ServerMain.commandLine().execute("user", "disable", "bob", "--data-dir=" + dataDir())).isZero();
        try (ProtocolClient data = connect()) {
            assertThat(data.command("DATA " + second.param("ticket")))
                    .hasToString("425 ticket revoked: account disabled by the administrator");
        }
    }

    @Test
    void unshareRevokesTheRecipientsTicketsUnderTheShareOnly() throws IOException {
        ProtocolClient alice = loggedIn("alice");
        ProtocolClient bob = loggedIn("bob");
        assertThat(alice.command("FRIEND ADD bob").code()).isEqualTo(250);
        assertThat(bob.command("FRIEND ACCEPT alice").code()).isEqualTo(250);
        assertThat(alice.command("MAKEDIR docs").code()).isEqualTo(257);
        assertThat(alice.command("MAKEDIR pics").code()).isEqualTo(257);
        assertThat(upload(alice, "docs/a.txt", Payload.of("alpha")).code()).isEqualTo(226);
        assertThat(upload(alice, "pics/b.txt", Payload.of("bravo")).code()).isEqualTo(226);
        assertThat(alice.command("SHARE docs WITH bob").code()).isEqualTo(250);
        assertThat(alice.command("SHARE pics WITH bob").code()).isEqualTo(250);
        Reply docs = bob.command("DOWNLOAD /shared/alice/docs/a.txt");
        Reply pics = bob.command("DOWNLOAD /shared/alice/pics/b.txt");
        assertThat(docs.code()).isEqualTo(350);

        assertThat(alice.command("UNSHARE docs bob").text()).endsWith("; 1 ticket(s) revoked");
        try (ProtocolClient data = connect()) {
            assertThat(data.command("DATA " + docs.param("ticket")))
                    .hasToString("425 ticket revoked: share of /docs by alice ended");
        }
        try (ProtocolClient data = openData(pics.param("ticket"))) {
            data.readBytes(5, Payload.newMd5()); // the other share's ticket still works
        }
    }

    @Test
    void endingAFriendshipRevokesTheTicketsIssuedThroughItsShares() throws IOException {
        ProtocolClient alice = loggedIn("alice");
        ProtocolClient bob = loggedIn("bob");
        assertThat(alice.command("FRIEND ADD bob").code()).isEqualTo(250);
        assertThat(bob.command("FRIEND ACCEPT alice").code()).isEqualTo(250);
        assertThat(alice.command("MAKEDIR docs").code()).isEqualTo(257);
        assertThat(upload(alice, "docs/a.txt", Payload.of("alpha")).code()).isEqualTo(226);
        assertThat(alice.command("SHARE docs WITH bob").code()).isEqualTo(250);
        Reply docs = bob.command("DOWNLOAD /shared/alice/docs/a.txt");
        assertThat(docs.code()).isEqualTo(350);
        assertThat(alice.command("FRIEND REMOVE bob").code()).isEqualTo(250);
        try (ProtocolClient data = connect()) {
            assertThat(data.command("DATA " + docs.param("ticket")))
                    .hasToString("425 ticket revoked: friendship of alice and bob ended");
        }
    }

    @Test
    void unshareLinkRevokesItsTicketsAndStopsARunningDownload() throws IOException {
        ProtocolClient alice = loggedIn("alice");
        ProtocolClient bob = loggedIn("bob");
        Payload big = Payload.random(3, 32L * MIB);
        assertThat(upload(alice, "big.bin", big).code()).isEqualTo(226);
        String code = alice.command("SHARE LINK big.bin").param("code");
        Reply unused = bob.command("FETCH " + code);
        Reply running = bob.command("FETCH " + code);
        assertThat(unused.code()).isEqualTo(350);
        try (ProtocolClient data = openData(running.param("ticket"))) {
            assertThat(alice.command("UNSHARE LINK " + code))
                    .hasToString("250 link " + code + " revoked; 2 ticket(s) revoked");
            // What the socket buffers held arrives, then the end: never the whole file.
            assertThatThrownBy(() -> data.readBytes(big.size(), Payload.newMd5())).isInstanceOf(IOException.class);
        }
        try (ProtocolClient data = connect()) {
            assertThat(data.command("DATA " + unused.param("ticket")))
                    .hasToString("425 ticket revoked: link " + code + " revoked");
        }
    }
}
