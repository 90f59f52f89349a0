package dev.netdisk.server.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.server.S3Fixture;
import dev.netdisk.server.app.NetdiskServer;
import dev.netdisk.server.config.ServerConfig;
import dev.netdisk.server.crypt.MasterKey;
import dev.netdisk.server.store.DataKeys;
import dev.netdisk.server.store.Database;
import dev.netdisk.server.store.LocalBlobStore;
import dev.netdisk.server.store.TestPostgres;
import dev.netdisk.server.store.s3.S3BlobStore;
import dev.netdisk.server.store.s3.S3Copy;
import dev.netdisk.server.store.s3.S3Location;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Migrate} in this JVM, on a data directory written by a real server, into the embedded
 * PostgreSQL and s3proxy: a failure injected while the rows are copied, then a rerun (triggers fire
 * once per row, the totals agree); content that does not match its MD5 stops it with the file
 * named and nothing of it in the bucket; unencrypted content is refused.
 */
class MigrateTest {

    private static final String PASSWORD = "password-1";

    @TempDir
    Path dir;

    private Path data;
    private String url;
    private String bucketUrl;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void populate() throws Exception {
        data = dir.resolve("data");
        url = TestPostgres.freshDatabase();
        bucketUrl = S3Fixture.shared().newBucket();
        Random random = new Random(7);
        try (NetdiskServer server = NetdiskServer.start(ServerConfig.forTests(data))) {
            server.users().register("alice", PASSWORD);
            try (ProtocolClient alice = ProtocolClient.connect(server.port())) {
                alice.command("LOGIN alice " + PASSWORD);
                alice.command("MAKEDIR -p /a/b");
                for (int i = 0; i < 3; i++) {
                    byte[] content = new byte[i == 0 ? 150_000 : 2_000];
                    random.nextBytes(content);
                    assertThat(alice.upload("/a/b/f" + i, content).code()).isEqualTo(226);
                }
                assertThat(alice.command("RM /a/b/f2").code()).isEqualTo(250);
            }
        }
    }

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        TestPostgres.drop(url);
    }

    private Migrate migrate(Consumer<String> progress) throws Exception {
        Database source = Database.open(data.resolve(Database.FILE_NAME), 1);
        open.add(source);
        Database target = Database.open(url, dir, 2, Map.of());
        open.add(target);
        S3BlobStore bucket = S3BlobStore.connect(S3Location.parse(bucketUrl), null, target, dir.resolve("staging"));
        open.add(bucket);
        DataKeys keys = new DataKeys(source, MasterKey.load(MasterKey.defaultFile(data)));
        return new Migrate(source, new LocalBlobStore(data), keys, target, new S3Copy(bucket), data.toString(), 2, progress);
    }

    private long targetCount(String sql) throws Exception {
        try (Database target = Database.open(url, dir, 1, Map.of())) {
            return MigrateRows.count(target, sql);
        }
    }

    @Test
    void aFailureWhileCopyingRowsThenARerunEndsWithTheSourcesTotals() throws Exception {
        assertThatThrownBy(() -> migrate(line -> {
            if (line.startsWith("rows of messages")) {
                throw new IllegalStateException("injected failure after the messages");
            }
        }).run()).hasMessageContaining("injected");
        assertThat(targetCount("SELECT COUNT(*) FROM nodes")).isEqualTo(6);
        // As if the kill came after the nodes' last batch but before the table was recorded as done.
        try (Database target = Database.open(url, dir, 1, Map.of())) {
            target.transaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + MigrateRows.PROGRESS
                        + " WHERE item = 'table:nodes'")) {
                    return ps.executeUpdate();
                }
            });
        }

        List<String> lines = new ArrayList<>();
        Migrate.Result result = migrate(lines::add).run();
        assertThat(lines).contains("rows of users: done before", "rows of nodes: 0 copied")
                .anyMatch(l -> l.startsWith("copied 1 of 1 files (0.0 MiB this run), 1 there before"));
        assertThat(result.files()).isEqualTo(3);
        assertThat(result.directories()).isEqualTo(2);
        assertThat(result.trashItems()).isEqualTo(1);
        assertThat(targetCount("SELECT used_bytes FROM users WHERE name = 'alice'")).isEqualTo(154_000);
        assertThat(targetCount("SELECT entries FROM users WHERE name = 'alice'")).isEqualTo(6);
        assertThat(targetCount("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = '"
                + MigrateRows.PROGRESS + "'")).as("bookkeeping dropped").isZero();
        // the sequences are past the copied ids: a new row does not collide
        try (Database target = Database.open(url, dir, 1, Map.of())) {
            long id = target.transaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO nodes (owner_id, parent_id, name, is_dir,"
                        + " mtime) SELECT owner_id, id, 'new', 1, 0 FROM nodes WHERE parent_id IS NULL AND name = ''"
                        + " RETURNING id"); ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            assertThat(id).isEqualTo(7);
        }
    }

    @Test
    void contentThatDoesNotMatchItsMd5StopsItWithTheFileNamedAndNothingInTheBucket() throws Exception {
        try (Database source = Database.open(data.resolve(Database.FILE_NAME), 1)) {
            source.transaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE nodes SET md5 = '00000000000000000000000000000000'"
                        + " WHERE name = 'f0'")) {
                    return ps.executeUpdate();
                }
            });
        }
        assertThatThrownBy(() -> migrate(line -> { }).run()).isInstanceOf(Migrate.MigrateException.class)
                .hasMessageContaining("file alice:/a/b/f0").hasMessageContaining("does not match its MD5");
        assertThat(S3Fixture.shared().objectCount(S3Fixture.bucketOf(bucketUrl))).isZero();
        assertThat(targetCount("SELECT COUNT(*) FROM users")).isZero();
    }

    @Test
    void contentStoredBeforeEncryptionAtRestIsRefused() throws Exception {
        try (Database source = Database.open(data.resolve(Database.FILE_NAME), 1)) {
            source.transaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM data_keys WHERE blob_id ="
                        + " (SELECT blob_id FROM nodes WHERE name = 'f0')")) {
                    return ps.executeUpdate();
                }
            });
        }
        assertThatThrownBy(() -> migrate(line -> { }).run()).isInstanceOf(Migrate.MigrateException.class)
                .hasMessageContaining("1 files are stored unencrypted").hasMessageContaining("keys encrypt-existing");
    }
}
