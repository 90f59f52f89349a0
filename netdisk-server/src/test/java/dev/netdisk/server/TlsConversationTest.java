package dev.netdisk.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.netdisk.protocol.PinnedTrust;
import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.protocol.Reply;
import dev.netdisk.server.config.ServerConfig;
import dev.netdisk.server.tls.ServerTls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * {@code AUTH TLS} (docs/PROTOCOL.md section 1a) with real handshakes on real sockets: the
 * conversation, transfers, the TLS gate on secret-carrying commands, and clients that misbehave
 * during or after the handshake. The loopback exemption is off here, as for a remote client.
 */
class TlsConversationTest extends ServerTestSupport {

    @Override
    boolean tls() {
        return true;
    }

    @Override
    ServerConfig config() {
        ServerConfig c = super.config();
        return c.withTls(c.tls().withHandshakeTimeout(Duration.ofSeconds(2)));
    }

    private ProtocolClient plain() throws IOException {
        return track(ProtocolClient.connect(server.port()));
    }

    private ProtocolClient secure() throws IOException {
        return plain().startTls(PinnedTrust.pinned(server.tlsFingerprint().orElseThrow()));
    }

    @Test
    void authTlsGets234AndTheConversationGoesOnEncrypted() throws IOException {
        ProtocolClient c = plain();
        Reply reply = c.command("AUTH TLS");
        assertThat(reply.code()).isEqualTo(234);
        c.handshake(PinnedTrust.pinned(server.tlsFingerprint().orElseThrow()));
        assertThat(c.command("REGISTER alice " + PASSWORD).code()).isEqualTo(200);
        assertThat(c.command("LOGIN alice " + PASSWORD).code()).isEqualTo(230);
        assertThat(c.command("MAKEDIR /docs").code()).isEqualTo(257);
        assertThat(c.command("NOOP")).hasToString("200 OK");
    }

    @Test
    void secretsAreRefusedWithout_TLS_andTheConnectionStaysUsable() throws IOException {
        ProtocolClient c = plain();
        assertThat(c.command("LOGIN alice " + PASSWORD)).hasToString("534 LOGIN needs TLS: send AUTH TLS first");
        assertThat(c.command("REGISTER alice " + PASSWORD).code()).isEqualTo(534);
        assertThat(c.command("DATA abc").code()).isEqualTo(534);
        assertThat(c.command("NOOP").code()).isEqualTo(200);
        c.startTls(PinnedTrust.pinned(server.tlsFingerprint().orElseThrow()));
        assertThat(c.command("REGISTER alice " + PASSWORD).code()).isEqualTo(200);
    }

    @Test
    void authWithAnotherMechanismOrTwiceIsRefused() throws IOException {
        ProtocolClient c = plain();
        assertThat(c.command("AUTH SSL").code()).isEqualTo(504);
        assertThat(c.command("AUTH").code()).isEqualTo(504);
        c.startTls(PinnedTrust.trustAll());
        assertThat(c.command("AUTH TLS")).hasToString("503 TLS already started on this connection");
        assertThat(c.command("NOOP").code()).isEqualTo(200);
    }

    @Test
    void uploadsAndDownloadsRunOverTls() throws IOException {
        ProtocolClient c = secure();
        c.command("REGISTER alice " + PASSWORD).expect(200);
        c.command("LOGIN alice " + PASSWORD).expect(230);
        for (int size : new int[] {0, 5, 64 * 1024, 3 * 1024 * 1024 + 17}) {
            byte[] content = new byte[size];
            new Random(size).nextBytes(content);
            Reply stored = c.upload("/f" + size, content);
            assertThat(stored.code()).as("upload of %d bytes: %s", size, stored).isEqualTo(226);
            assertThat(c.download("/f" + size)).isEqualTo(content);
        }
    }

    @Test
    void theFingerprintIsOfTheCertificateInTheDataDirectoryWhoseKeyIsPrivate() throws Exception {
        String fingerprint = server.tlsFingerprint().orElseThrow();
        assertThat(fingerprint).matches("SHA256:[0-9a-f]{64}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir().resolve(ServerTls.KEY_FILE))))
                .isEqualTo("rw-------");
        ProtocolClient c = plain();
        assertThatThrownBy(() -> c.startTls(PinnedTrust.pinned("SHA256:" + "0".repeat(64))))
                .isInstanceOf(SSLHandshakeException.class);
        // A restart keeps the certificate: clients that trusted it keep trusting it.
        server.close();
        server = dev.netdisk.server.app.NetdiskServer.start(config());
        assertThat(server.tlsFingerprint()).hasValue(fingerprint);
    }

    @Test
    void garbageInsteadOfAHandshakeClosesThatConnectionOnly() throws IOException {
        ProtocolClient other = secure();
        ProtocolClient c = plain();
        c.command("AUTH TLS").expect(234);
        byte[] garbage = new byte[4096];
        new Random(7).nextBytes(garbage);
        garbage[0] = 0x16; // looks like a handshake record, then is not
        c.sendRaw(garbage);
        // The server answers with a TLS alert and closes: only "other" stays.
        await().atMost(10, TimeUnit.SECONDS).until(() -> server.connectionCount() == 1);
        assertThat(other.command("NOOP").code()).isEqualTo(200);
        assertThat(secure().command("NOOP").code()).isEqualTo(200);
    }

    @Test
    void aPlainLineAfterAuthTlsClosesThatConnectionOnly() throws IOException {
        ProtocolClient other = secure();
        ProtocolClient c = plain();
        // Pipelined: the LOGIN arrives where the handshake should begin.
        c.sendRaw(("AUTH TLS\nLOGIN alice " + PASSWORD + "\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(c.reply().code()).isEqualTo(234);
        await().atMost(10, TimeUnit.SECONDS).until(() -> server.connectionCount() == 1);
        assertThat(other.command("NOOP").code()).isEqualTo(200);
    }

    @Test
    void aHandshakeLeftHalfWayIsClosedAfterTheTimeout() throws IOException {
        ProtocolClient other = secure();
        ProtocolClient c = plain();
        c.command("AUTH TLS").expect(234);
        c.sendRaw(new byte[] {0x16, 0x03, 0x01, 0x00, (byte) 0xff, 0x01}); // the start of a ClientHello, never finished
        await().atMost(10, TimeUnit.SECONDS).until(() -> server.connectionCount() == 1);
        assertThat(other.command("NOOP").code()).isEqualTo(200);
    }

    @Test
    void opensslSClientStarttlsFtpTalksToTheServer() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(opensslExists(), "openssl is not installed");
        register("alice");
        Process p = new ProcessBuilder("openssl", "s_client", "-starttls", "ftp", "-quiet",
                "-connect", "127.0.0.1:" + server.port()).redirectErrorStream(false).start();
        try {
            p.getOutputStream().write(("LOGIN alice " + PASSWORD + "\nPWD\nQUIT\n").getBytes(StandardCharsets.US_ASCII));
            p.getOutputStream().flush();
            String out = readAll(p.getInputStream());
            assertThat(out).contains("230 ").contains("257 ").contains("221 ");
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aServerWithTlsOffSays502AndExemptsNoOne() throws Exception {
        server.close();
        ServerConfig c = ServerConfig.forTests(dataDir());
        server = dev.netdisk.server.app.NetdiskServer.start(c.withTls(c.tls().withEnabled(false)));
        assertThat(server.tlsFingerprint()).isEmpty();
        ProtocolClient p = plain();
        assertThat(p.command("AUTH TLS").code()).isEqualTo(502);
        assertThat(p.command("REGISTER alice " + PASSWORD).code()).as("TLS off: nothing to require").isEqualTo(200);
    }

    @Test
    void reloadKeepsOpenConnectionsAndServesTheNewCertificateToNewOnes() throws Exception {
        ProtocolClient before = secure();
        String old = server.tlsFingerprint().orElseThrow();
        dev.netdisk.server.tls.SelfSigned.write(dev.netdisk.server.tls.SelfSigned.create(),
                dataDir().resolve(ServerTls.CERT_FILE), dataDir().resolve(ServerTls.KEY_FILE));
        String answer = server.reloadTls();
        String renewed = server.tlsFingerprint().orElseThrow();
        assertThat(answer).isEqualTo("fingerprint=" + renewed);
        assertThat(renewed).isNotEqualTo(old);
        assertThat(before.command("NOOP").code()).isEqualTo(200);
        assertThatThrownBy(() -> plain().startTls(PinnedTrust.pinned(old))).isInstanceOf(SSLException.class);
        assertThat(plain().startTls(PinnedTrust.pinned(renewed)).command("NOOP").code()).isEqualTo(200);
    }

    private static boolean opensslExists() {
        try {
            Process p = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        in.transferTo(buf);
        return buf.toString(StandardCharsets.UTF_8);
    }
}
