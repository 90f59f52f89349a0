package dev.netdisk.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.protocol.Reply;
import dev.netdisk.server.app.NetdiskServer;
import dev.netdisk.server.config.ServerConfig;
import dev.netdisk.server.crypt.DataKey;
import dev.netdisk.server.store.BlobStoreUnavailableException;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What only the S3 content store does (issue 21): an upload's kept parts are an S3 multipart
 * upload that another server instance resumes; reads from an offset are ranged GETs of the part
 * holding it; COPY adds no object; a missing bucket or an unreachable endpoint is a clear refusal
 * to start; a bucket gone while running is a {@code 451}, not a hung connection. On the test JVM's
 * s3proxy ({@link S3Fixture}), a fresh bucket per test.
 */
class S3StoreTest extends ServerTestSupport {

    private static final long MIB = 1 << 20;

    @Override
    String blobStore() {
        return freshBucket();
    }

    private String bucket() {
        return S3Fixture.bucketOf(blobStore());
    }

    /**
     * The configuration of a second server instance on the same bucket and the same metadata.
     * Until the database is shared between servers ({@code --database}, the pg branch), the
     * metadata is the first server's SQLite file, so the second instance uses the same data
     * directory after the first has stopped; with a shared database it gets a directory of its own.
     */
    ServerConfig secondServer() {
        return config();
    }

    @Test
    void anUploadInterruptedAfterTwoPartsResumesFromTheKeptPartsThroughASecondServer() throws Exception {
        ProtocolClient alice = loggedIn("alice");
        Payload content = Payload.random(21, 2 * DataKey.PART_BYTES + 5 * MIB + 17);
        Reply first = uploadTicket(alice, "big.bin", content);
        assertThat(first.longParam("offset")).isZero();
        try (ProtocolClient data = openData(first.param("ticket"))) {
            data.sendBytes(content, 0, 2 * DataKey.PART_BYTES + 3 * MIB);
            data.shutdownOutput();
            assertThat(data.isClosedByServer()).isTrue();
        }
        // The two whole parts are in S3 as parts 1 and 2 of one multipart upload.
        await().atMost(Duration.ofSeconds(20)).until(() -> keptUploads().equals(
                java.util.List.of(2 * DataKey.PART_CIPHERTEXT_BYTES)));
        await().atMost(Duration.ofSeconds(20)).until(() -> alice.command("UPLOAD big.bin " + content.size() + " "
                + content.md5()).longParam("offset") == 2 * DataKey.PART_BYTES);
        server.close();

        server = NetdiskServer.start(secondServer());
        ProtocolClient again = loggedIn("alice");
        Reply resumed = again.command("UPLOAD big.bin " + content.size() + " " + content.md5());
        assertThat(resumed.longParam("offset")).as("the kept parts, found by ListParts").isEqualTo(2 * DataKey.PART_BYTES);
        try (ProtocolClient data = connect()) {
            Reply started = data.command("DATA " + resumed.param("ticket"));
            assertThat(started.code()).as("DATA: %s", started).isEqualTo(150);
            data.sendBytes(content, 2 * DataKey.PART_BYTES, content.size());
            assertThat(data.reply()).hasToString("226 size=" + content.size() + " md5=" + content.md5() + " stored /big.bin");
        }
        assertThat(keptUploads()).isEmpty();
        assertThat(S3Fixture.shared().objectCount(bucket())).isEqualTo(1);
        assertThat(download(again, "big.bin", 0)).isEqualTo(content.md5());
    }

    @Test
    void aDownloadFromAnOffsetInsideEachPartIsExact() throws Exception {
        ProtocolClient alice = loggedIn("alice");
        Payload content = Payload.random(22, 20 * MIB);
        assertThat(upload(alice, "twenty.bin", content).code()).isEqualTo(226);
        long[] offsets = {0, 12_345, DataKey.PART_BYTES + 3 * MIB + 1, 2 * DataKey.PART_BYTES + 777, content.size() - 1};
        for (long offset : offsets) {
            assertThat(download(alice, "twenty.bin", offset)).as("from %d", offset)
                    .isEqualTo(content.md5(offset, content.size()));
        }
    }

    @Test
    void copyOfABigFileAddsNoObject() throws Exception {
        ProtocolClient alice = loggedIn("alice");
        Payload content = Payload.random(23, 10 * MIB);
        assertThat(upload(alice, "ten.bin", content).code()).isEqualTo(226);
        assertThat(S3Fixture.shared().objectCount(bucket())).isEqualTo(1);
        assertThat(alice.command("COPY ten.bin copy.bin").code()).isEqualTo(250);
        assertThat(S3Fixture.shared().objectCount(bucket())).as("the copy shares the object").isEqualTo(1);
        assertThat(download(alice, "copy.bin", 0)).isEqualTo(content.md5());
        // The object goes only with its last referrer.
        assertThat(alice.command("RM ten.bin").code()).isEqualTo(250);
        assertThat(alice.command("TRASH EMPTY").code()).isEqualTo(250);
        assertThat(S3Fixture.shared().objectCount(bucket())).isEqualTo(1);
        assertThat(download(alice, "copy.bin", 0)).isEqualTo(content.md5());
    }

    @Test
    void aBucketGoneWhileRunningIsA451NotAHungConnection() throws Exception {
        ProtocolClient alice = loggedIn("alice");
        var s3 = S3Fixture.shared().client();
        s3.deleteBucket(b -> b.bucket(bucket()));
        Payload content = Payload.random(24, 3 * MIB);
        Reply ticket = uploadTicket(alice, "late.bin", content);
        try (ProtocolClient data = connect()) {
            assertThat(data.command("DATA " + ticket.param("ticket"))).hasToString(
                    "451 local error in processing: the content store is unavailable; nothing was changed: try again later");
        }
        assertThat(alice.command("NOOP").code()).isEqualTo(200);
    }

    @Test
    void theServerRefusesToStartWithoutItsBucketOrItsEndpoint() throws IOException {
        server.close();
        String missing = S3Fixture.shared().blobStoreUrl("no-such-bucket");
        assertThatThrownBy(() -> NetdiskServer.start(config().withBlobStore(missing)))
                .isInstanceOf(BlobStoreUnavailableException.class)
                .hasMessageContaining("the bucket no-such-bucket does not exist");
        assertThatThrownBy(() -> NetdiskServer.start(config().withBlobStore(
                "s3://b?endpoint=http://127.0.0.1:1&region=us-east-1")))
                .isInstanceOf(BlobStoreUnavailableException.class)
                .hasMessageStartingWith("content store s3://b at http://127.0.0.1:1 unavailable (HeadBucket)");
        server = null;
    }
}
