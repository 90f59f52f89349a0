package dev.netdisk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.cli.command.ExitCode;
import dev.netdisk.cli.session.Env;
import dev.netdisk.server.app.NetdiskServer;
import dev.netdisk.server.config.ServerConfig;
import dev.netdisk.server.tls.PemIdentity;
import dev.netdisk.server.tls.SelfSigned;
import dev.netdisk.server.tls.ServerTls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client's side of TLS against real servers and real handshakes (docs/SECURITY.md): what
 * crosses the network, trust on first use, a changed, expired or misnamed certificate, pinning,
 * an authority file, and {@code --no-tls}. The servers here exempt no loopback connection, so a
 * command sent in clear would be refused.
 */
class TlsClientTest extends CliTestSupport {

    private final List<NetdiskServer> more = new ArrayList<>();

    @AfterEach
    void stopMore() {
        more.forEach(NetdiskServer::close);
    }

    private NetdiskServer start(ServerConfig config) throws Exception {
        NetdiskServer s = NetdiskServer.start(config);
        more.add(s);
        return s;
    }

    private ServerConfig strict(String name) {
        ServerConfig c = ServerConfig.forTests(tmp.resolve(name));
        return c.withTls(c.tls().withLoopbackExempt(false));
    }

    /** A fresh config directory: a client that has never seen any server. */
    private Cli newClient(String name, int port) {
        return new Cli(tmp.resolve(name), work).env(Env.HOST, "127.0.0.1").env(Env.PORT, Integer.toString(port));
    }

    @Test
    void noPasswordTokenChatTextOrFileBytesCrossTheNetworkInClear() throws Exception {
        NetdiskServer s = start(strict("strict"));
        String marker = "FILE-MARKER-7f3a9c";
        Path file = Files.writeString(work.resolve("notes.txt"), (marker + "\n").repeat(20_000));
        String chatText = "meet at the north gate at dawn";
        try (Relay relay = new Relay(s.port())) {
            Cli c = newClient("relay-client", relay.port());
            c.env(Env.PASSWORD, PASSWORD);
            assertThat(c.run("register", "alice").code()).isZero();
            assertThat(c.run("login", "alice").code()).isZero();
            c.env(Env.PASSWORD, null);
            assertThat(c.run("--user", "alice", "group", "create", "team").code()).isZero();
            Cli.Result chat = c.run("--user", "alice", "chat", "#team", chatText);
            assertThat(chat.code()).as(chat.toString()).isZero();
            Cli.Result up = c.run("--user", "alice", "upload", "notes.txt", "/notes.txt");
            assertThat(up.code()).as(up.toString()).isZero();
            Files.createDirectories(work.resolve("back"));
            Cli.Result down = c.run("--user", "alice", "download", "/notes.txt", "back/notes.txt");
            assertThat(down.code()).as(down.toString()).isZero();
            assertThat(Files.readString(work.resolve("back/notes.txt"))).isEqualTo(Files.readString(file));

            String token = savedToken(tmp.resolve("relay-client"));
            String seen = relay.recorded();
            assertThat(seen).as("the relay saw the conversation start").contains("AUTH TLS").contains("234 ");
            assertThat(seen).doesNotContain(PASSWORD).doesNotContain(token).doesNotContain(chatText)
                    .doesNotContain(marker).doesNotContain("LOGIN").doesNotContain("DATA ");
        }
    }

    @Test
    void aNewServerIsTrustedOnFirstUseAndAChangedCertificateIsRefusedLoudly() throws Exception {
        NetdiskServer s = start(strict("tofu"));
        Cli c = newClient("tofu-client", s.port());
        c.env(Env.PASSWORD, PASSWORD);
        String first = s.tlsFingerprint().orElseThrow();
        Cli.Result r = c.run("register", "alice");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).contains("trusting 127.0.0.1:" + s.port() + " on first use").contains(first);
        assertThat(Files.readString(tmp.resolve("tofu-client/known_hosts"))).contains("127.0.0.1:" + s.port() + " " + first);
        assertThat(c.run("login", "alice").err()).as("known now: no notice").isEmpty();

        // The server gets another certificate (a reinstall, or someone in between).
        SelfSigned.write(SelfSigned.create(), tmp.resolve("tofu").resolve(ServerTls.CERT_FILE),
                tmp.resolve("tofu").resolve(ServerTls.KEY_FILE));
        String second = s.reloadTls().substring("fingerprint=".length());
        Cli.Result refused = c.run("--user", "alice", "ls");
        assertThat(refused.code()).isNotZero();
        assertThat(refused.err()).contains("HAS CHANGED").contains(first).contains(second)
                .contains("--fingerprint " + second).contains("known_hosts");
        // Accepting the new one for a run, as the message says.
        Cli.Result pinned = c.run("--user", "alice", "--fingerprint", second, "ls");
        assertThat(pinned.code()).as(pinned.toString()).isZero();
    }

    @Test
    void aPinnedFingerprintAcceptsThatCertificateOnly() throws Exception {
        NetdiskServer s = start(strict("pin"));
        Cli c = newClient("pin-client", s.port()).env(Env.PASSWORD, PASSWORD);
        Cli.Result wrong = c.run("--fingerprint", "SHA256:" + "ab".repeat(32), "register", "alice");
        assertThat(wrong.code()).isNotZero();
        assertThat(wrong.err()).contains("not the SHA256:" + "ab".repeat(32));
        Cli.Result right = c.run("--fingerprint", s.tlsFingerprint().orElseThrow(), "register", "alice");
        assertThat(right.code()).as(right.toString()).isZero();
        assertThat(right.err()).as("pinned: no first-use notice").isEmpty();
        assertThat(tmp.resolve("pin-client/known_hosts")).doesNotExist();
    }

    @Test
    void anExpiredCertificateIsRefusedEvenWhenPinned() throws Exception {
        Instant past = Instant.now().minus(Duration.ofDays(30));
        PemIdentity expired = SelfSigned.create(List.of("localhost", "127.0.0.1"), past.minus(Duration.ofDays(365)), past);
        Path cert = tmp.resolve("expired-cert.pem");
        Path key = tmp.resolve("expired-key.pem");
        SelfSigned.write(expired, cert, key);
        ServerConfig config = strict("expired");
        NetdiskServer s = start(config.withTls(config.tls().withFiles(cert, key)));
        Cli c = newClient("expired-client", s.port()).env(Env.PASSWORD, PASSWORD);
        Cli.Result r = c.run("--fingerprint", expired.fingerprint(), "register", "alice");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("expired on");
        assertThat(newClient("expired-client2", s.port()).env(Env.PASSWORD, PASSWORD).run("register", "alice").err())
                .as("not trusted on first use either").contains("expired on");
    }

    @Test
    void aCertificateFromAnAuthorityMustNameTheHost() throws Exception {
        KeyPair caKeys = ecKeys();
        X500Name caName = new X500Name("CN=netdisk test CA");
        Instant now = Instant.now();
        X509Certificate ca = sign(new JcaX509v3CertificateBuilder(caName, BigInteger.ONE, Date.from(now.minusSeconds(3600)),
                Date.from(now.plus(Duration.ofDays(1))), caName, caKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true)), caKeys);
        KeyPair leafKeys = ecKeys();
        X509Certificate leaf = sign(new JcaX509v3CertificateBuilder(caName, BigInteger.TWO, Date.from(now.minusSeconds(3600)),
                Date.from(now.plus(Duration.ofDays(1))), new X500Name("CN=localhost"), leafKeys.getPublic())
                .addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.dNSName, "localhost"))), caKeys);
        Path cert = tmp.resolve("chain.pem");
        Path key = tmp.resolve("leaf-key.pem");
        SelfSigned.write(new PemIdentity(List.of(leaf, ca), leafKeys.getPrivate()), cert, key);
        Path caFile = tmp.resolve("ca.pem");
        SelfSigned.write(new PemIdentity(List.of(ca), caKeys.getPrivate()), caFile, tmp.resolve("ca-key.pem"));
        ServerConfig config = strict("ca");
        NetdiskServer s = start(config.withTls(config.tls().withFiles(cert, key)));

        Cli byName = newClient("ca-client", s.port()).env(Env.HOST, "localhost").env(Env.PASSWORD, PASSWORD);
        Cli.Result ok = byName.run("--ca-file", caFile.toString(), "register", "alice");
        assertThat(ok.code()).as(ok.toString()).isZero();
        assertThat(ok.err()).as("vouched for by the authority: no first-use notice").isEmpty();

        Cli byAddress = newClient("ca-client2", s.port()).env(Env.PASSWORD, PASSWORD);
        Cli.Result wrongName = byAddress.run("--ca-file", caFile.toString(), "register", "bob");
        assertThat(wrongName.code()).isNotZero();
        assertThat(wrongName.err()).contains("is not for \"127.0.0.1\"").contains("localhost");
    }

    @Test
    void theClientRefusesAServerWithoutTlsUnlessToldAndThenWarns() throws Exception {
        ServerConfig c = ServerConfig.forTests(tmp.resolve("plain"));
        NetdiskServer s = start(c.withTls(c.tls().withEnabled(false)));
        Cli client = newClient("plain-client", s.port()).env(Env.PASSWORD, PASSWORD);
        Cli.Result refused = client.run("register", "alice");
        assertThat(refused.code()).isEqualTo(ExitCode.CONNECTION.value());
        assertThat(refused.err()).contains("does not offer TLS").contains("--no-tls");
        Cli.Result plain = client.run("--no-tls", "register", "alice");
        assertThat(plain.code()).as(plain.toString()).isZero();
        assertThat(plain.err()).contains("warning: --no-tls").contains("in clear");
    }

    @Test
    void aMirrorOfManySmallFilesRunsOverTls() throws Exception {
        NetdiskServer s = start(strict("mirror"));
        Cli c = newClient("mirror-client", s.port()).env(Env.PASSWORD, PASSWORD);
        assertThat(c.run("register", "alice").code()).isZero();
        assertThat(c.run("login", "alice").code()).isZero();
        Path tree = Files.createDirectories(work.resolve("tree/sub"));
        for (int i = 0; i < 300; i++) {
            Files.writeString((i % 2 == 0 ? tree : tree.getParent()).resolve("f" + i + ".txt"), "file " + i + "\n".repeat(i));
        }
        Cli.Result up = c.run("--user", "alice", "upload", "-r", "tree", "/tree");
        assertThat(up.code()).as(up.toString()).isZero();
        Cli.Result down = c.run("--user", "alice", "download", "-r", "/tree", "copy");
        assertThat(down.code()).as(down.toString()).isZero();
        for (int i = 0; i < 300; i++) {
            Path rel = i % 2 == 0 ? Path.of("sub", "f" + i + ".txt") : Path.of("f" + i + ".txt");
            assertThat(work.resolve("copy").resolve(rel)).hasSameTextualContentAs(work.resolve("tree").resolve(rel));
        }
    }

    private static String savedToken(Path configDir) throws IOException {
        Matcher m = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"").matcher(Files.readString(configDir.resolve("sessions.json")));
        assertThat(m.find()).as("a saved session token").isTrue();
        return m.group(1);
    }

    private static KeyPair ecKeys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509Certificate sign(org.bouncycastle.cert.X509v3CertificateBuilder builder, KeyPair issuer) throws Exception {
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate())));
    }

    /** A TCP relay to the server that records every byte both ways: what someone on the network sees. */
    private static final class Relay implements AutoCloseable {
        private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final ByteArrayOutputStream seen = new ByteArrayOutputStream();
        private final List<Socket> sockets = new ArrayList<>();
        private final Thread acceptor;

        Relay(int serverPort) throws IOException {
            acceptor = new Thread(() -> {
                try {
                    while (true) {
                        Socket client = listener.accept();
                        Socket server = new Socket(InetAddress.getLoopbackAddress(), serverPort);
                        synchronized (sockets) {
                            sockets.add(client);
                            sockets.add(server);
                        }
                        pump(client, server);
                        pump(server, client);
                    }
                } catch (IOException closed) {
                    // the relay is closed
                }
            }, "relay-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        private void pump(Socket from, Socket to) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[16 * 1024];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        synchronized (seen) {
                            seen.write(buf, 0, n);
                        }
                        out.write(buf, 0, n);
                    }
                    to.shutdownOutput();
                } catch (IOException ended) {
                    // one side closed
                }
            }, "relay-pump");
            t.setDaemon(true);
            t.start();
        }

        String recorded() {
            synchronized (seen) {
                return seen.toString(StandardCharsets.ISO_8859_1);
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
            synchronized (sockets) {
                for (Socket s : sockets) {
                    s.close();
                }
            }
        }
    }
}
