package dev.netdisk.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.server.app.NetdiskServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What the server leaves on disk: private modes, and no blob that nothing refers to after a restart. */
class StorageHygieneTest extends ServerTestSupport {

    @Test
    void dataDirectoryAndFilesAreReadableByTheServersUserOnly() throws Exception {
        ProtocolClient alice = loggedIn("alice");
        assertThat(upload(alice, "a.txt", Payload.of("private bytes")).code()).isEqualTo(226);

        assertThat(mode(dataDir())).isEqualTo("rwx------");
        assertThat(mode(dataDir().resolve("netdisk.db"))).isEqualTo("rw-------");
        try (Stream<Path> files = Files.walk(dataDir().resolve("blobs"))) {
            for (Path p : files.toList()) {
                assertThat(mode(p)).as(p.toString()).isIn("rwx------", "rw-------");
            }
        }
    }

    @Test
    void aRestartSweepsBlobsThatNothingRefersTo() throws Exception {
        ProtocolClient alice = loggedIn("alice");
        Payload kept = Payload.of("kept");
        assertThat(upload(alice, "kept.txt", kept).code()).isEqualTo(226);
        // A crash between the blob's rename and the metadata commit leaves a file like this one.
        Path strayBlob = Files.createDirectories(dataDir().resolve("blobs/ff")).resolve("ff00000000000000000000000000000f");
        Files.writeString(strayBlob, "orphan");
        Path strayPartial = Files.writeString(dataDir().resolve("partial/ee00000000000000000000000000000e"), "orphan");
        alice.close();

        server.close();
        server = NetdiskServer.start(config());

        assertThat(strayBlob).doesNotExist();
        assertThat(strayPartial).doesNotExist();
        ProtocolClient again = loggedIn("alice");
        assertThat(download(again, "kept.txt", 0)).isEqualTo(kept.md5());
        List<String> entries = ls(again, "");
        assertThat(entries).hasSize(1);
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
