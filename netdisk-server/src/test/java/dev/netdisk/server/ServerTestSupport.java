package dev.netdisk.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.protocol.Md5;
import dev.netdisk.protocol.PinnedTrust;
import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.protocol.Reply;
import dev.netdisk.server.app.NetdiskServer;
import dev.netdisk.server.config.ServerConfig;
import dev.netdisk.server.store.Dialect;
import dev.netdisk.server.store.TestPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real server on loopback port 0 with its own data directory, started before each test and
 * stopped after it, and the few conversation steps most tests share (an account, an upload, a
 * download). Every client a test opens through here is closed after it.
 */
@Timeout(120)
abstract class ServerTestSupport {

    static final String PASSWORD = "correct-horse";

    @TempDir
    Path tempDir;

    NetdiskServer server;
    private final List<ProtocolClient> clients = new ArrayList<>();
    /** This test's PostgreSQL database, made at its first {@link #config}; null on SQLite. */
    private String databaseUrl;

    /** Where the server keeps its data: a directory inside {@link #tempDir}, so a test can check nothing lands beside it. */
    Path dataDir() {
        return tempDir.resolve("data");
    }

    ServerConfig config() {
        ServerConfig config = ServerConfig.forTests(dataDir()).withBlobStore(blobStore());
        if (database() == Dialect.POSTGRESQL) {
            if (databaseUrl == null) {
                databaseUrl = TestPostgres.freshDatabase();
            }
            config = config.withDatabase(databaseUrl);
        }
        // Over TLS, loopback is not exempt: a command that skipped TLS would be refused, not pass unseen.
        return tls() ? config.withTls(config.tls().withLoopbackExempt(false)) : config;
    }

    /**
     * Whether every connection of this test starts TLS ({@code AUTH TLS}, pinned to the server's
     * fingerprint) before its first command. A subclass that says yes runs its whole conversation
     * encrypted, with the loopback exemption off.
     */
    boolean tls() {
        return false;
    }

    /**
     * The metadata backend of this test: SQLite in the data directory, or PostgreSQL (a fresh
     * database on the JVM's one embedded server, {@link TestPostgres}). A subclass that says
     * PostgreSQL runs its whole conversation on it.
     */
    Dialect database() {
        return Dialect.SQLITE;
    }

    /** The {@code --database} option of an admin command about this test's server ({@code --database=} for SQLite). */
    String databaseOption() {
        String url = server.config().database();
        return "--database=" + (url == null ? "" : url);
    }

    /**
     * Where file content goes: null for the data directory's {@code blobs/}; a subclass that runs
     * its suite on S3 answers {@link #freshBucket}.
     */
    String blobStore() {
        return null;
    }

    private String bucket;

    /** This test's own bucket on the test JVM's s3proxy ({@link S3Fixture}), as a {@code --blob-store} URL. */
    final String freshBucket() {
        if (bucket == null) {
            bucket = S3Fixture.shared().newBucket();
        }
        return bucket;
    }

    /**
     * The stored bytes of each upload kept for resume: the files in {@code partial/}, or, on S3,
     * the parts of each multipart upload in the bucket.
     */
    List<Long> keptUploads() throws IOException {
        if (blobStore() == null) {
            try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dataDir().resolve("partial"))) {
                List<Long> sizes = new ArrayList<>();
                for (Path p : (Iterable<Path>) files::iterator) {
                    sizes.add(java.nio.file.Files.size(p));
                }
                return sizes;
            }
        }
        var s3 = S3Fixture.shared().client();
        String bucket = S3Fixture.bucketOf(blobStore());
        List<Long> sizes = new ArrayList<>();
        for (var u : s3.listMultipartUploads(b -> b.bucket(bucket)).uploads()) {
            sizes.add(s3.listParts(b -> b.bucket(bucket).key(u.key()).uploadId(u.uploadId())).parts().stream()
                    .mapToLong(part -> part.size()).sum());
        }
        return sizes;
    }

    @BeforeEach
    void startServer() throws Exception {
        server = NetdiskServer.start(config());
    }

    @AfterEach
    void stopServer() {
        clients.forEach(ProtocolClient::close);
        if (server != null) {
            server.close();
        }
        if (databaseUrl != null) {
            TestPostgres.drop(databaseUrl);
        }
    }

    /** A new connection whose greeting has been read. */
    ProtocolClient connect() throws IOException {
        return track(open());
    }

    /** A new connection, not tracked, over TLS when {@link #tls} says so. */
    ProtocolClient open() throws IOException {
        ProtocolClient c = ProtocolClient.connect(server.port());
        if (tls()) {
            try {
                c.startTls(PinnedTrust.pinned(server.tlsFingerprint().orElseThrow()));
            } catch (IOException | RuntimeException e) {
                c.close();
                throw e;
            }
        }
        return c;
    }

    ProtocolClient track(ProtocolClient client) {
        clients.add(client);
        return client;
    }

    /** Registers {@code user} (unless it exists) with {@link #PASSWORD}. */
    void register(String user) throws IOException {
        try (ProtocolClient c = open()) {
            Reply reply = c.command("REGISTER " + user + " " + PASSWORD);
            assertThat(reply.code()).as("REGISTER %s: %s", user, reply).isIn(200, 521);
        }
    }

    /** A connection logged in as {@code user}, registering it first if needed. */
    ProtocolClient loggedIn(String user) throws IOException {
        register(user);
        ProtocolClient c = connect();
        Reply reply = c.command("LOGIN " + user + " " + PASSWORD);
        assertThat(reply.code()).as("LOGIN %s: %s", user, reply).isEqualTo(230);
        return c;
    }

    /**
     * A connection logged in as {@code user} that listens for events ({@code LISTEN}), as a chat
     * client's does: it is online and gets messages pushed.
     */
    ProtocolClient listening(String user) throws IOException {
        ProtocolClient c = loggedIn(user);
        Reply reply = c.command("LISTEN");
        assertThat(reply.code()).as("LISTEN %s: %s", user, reply).isEqualTo(250);
        return c;
    }

    /** {@code UPLOAD} of {@code payload} to {@code pathArg} (already quoted as needed); expects 350. */
    Reply uploadTicket(ProtocolClient control, String pathArg, Payload payload, String... options) throws IOException {
        String line = "UPLOAD " + pathArg + " " + payload.size() + " " + payload.md5()
                + (options.length == 0 ? "" : " " + String.join(" ", options));
        Reply reply = control.command(line);
        assertThat(reply.code()).as("%s: %s", line, reply).isEqualTo(350);
        return reply;
    }

    /** Opens a data connection for {@code ticket} and expects its {@code 150}. */
    ProtocolClient openData(String ticket) throws IOException {
        ProtocolClient data = connect();
        Reply reply = data.command("DATA " + ticket);
        assertThat(reply.code()).as("DATA: %s", reply).isEqualTo(150);
        return data;
    }

    /** A whole upload: ticket, data connection, the bytes from the offset given; returns the data connection's final reply. */
    Reply upload(ProtocolClient control, String pathArg, Payload payload, String... options) throws IOException {
        Reply ticket = uploadTicket(control, pathArg, payload, options);
        try (ProtocolClient data = openData(ticket.param("ticket"))) {
            data.sendBytes(payload, ticket.longParam("offset"), payload.size());
            return data.reply();
        }
    }

    /** A whole download from {@code offset}; returns the MD5 of the bytes received, after checking the 226. */
    String download(ProtocolClient control, String pathArg, long offset) throws IOException {
        Reply ticket = control.command("DOWNLOAD " + pathArg + (offset == 0 ? "" : " " + offset));
        assertThat(ticket.code()).as("DOWNLOAD %s: %s", pathArg, ticket).isEqualTo(350);
        long size = ticket.longParam("size");
        try (ProtocolClient data = connect()) {
            Reply started = data.command("DATA " + ticket.param("ticket"));
            assertThat(started.code()).as("DATA: %s", started).isEqualTo(150);
            assertThat(started.text()).contains("sending " + (size - offset) + " bytes from offset " + offset);
            MessageDigest md5 = Payload.newMd5();
            data.readBytes(size - offset, md5);
            Reply done = data.reply();
            assertThat(done.code()).as("download final reply: %s", done).isEqualTo(226);
            assertThat(done.param("md5")).isEqualTo(ticket.param("md5"));
            assertThat(data.isClosedByServer()).isTrue();
            return Md5.hex(md5);
        }
    }

    /** The entry lines of {@code LS path}, without the count line. */
    List<String> ls(ProtocolClient control, String pathArg) throws IOException {
        Reply reply = control.command(pathArg.isEmpty() ? "LS" : "LS " + pathArg);
        assertThat(reply.code()).as("LS %s: %s", pathArg, reply).isEqualTo(212);
        return reply.lines().subList(0, reply.lines().size() - 1);
    }
}
