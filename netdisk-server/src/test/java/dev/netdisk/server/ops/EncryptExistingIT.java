package dev.netdisk.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.protocol.Md5;
import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.server.app.NetdiskServer;
import dev.netdisk.server.config.ServerConfig;
import dev.netdisk.server.crypt.DataKey;
import dev.netdisk.server.crypt.PartReader;
import dev.netdisk.server.store.DataKeys;
import dev.netdisk.server.store.Database;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code netdisk-server keys encrypt-existing} on a data directory written before encryption at
 * rest, beside a running server (both real processes): killed with SIGKILL half-way, every file
 * is still readable; run again, it finishes, and no plaintext is left once the server's start-up
 * sweep has run.
 */
class EncryptExistingIT {

    private static final String PASSWORD = "password-1";
    private static final byte[] MARKER = "MARKER-legacy-plaintext-5eb63bbbe01eeed0".getBytes(StandardCharsets.US_ASCII);
    /** Blob files (each encrypted, forced, renamed, and its switch committed durably) and files kept inline. */
    private static final int BLOB_FILES = 40;
    private static final int SMALL_FILES = 10;

    @TempDir
    Path dir;

    @Test
    void killedHalfWayItLeavesEveryFileReadableAndARerunFinishes() throws Exception {
        Path data = dir.resolve("data");
        Map<String, byte[]> files = legacyDataDirectory(data);
        try (ServerProcesses processes = new ServerProcesses(dir)) {
            ServerProcesses.Server server = processes.startForeground("--port=0", "--bind=127.0.0.1", "--data-dir=data",
                    "--password-iterations=1000");

            Process run = new ProcessBuilder(ServerProcesses.java(List.of("keys", "encrypt-existing", "--data-dir=data")))
                    .directory(dir.toFile()).redirectErrorStream(true).start();
            List<String> seen = new ArrayList<>();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(run.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    seen.add(line);
                    if (line.startsWith("encrypted 10 of")) {
                        run.destroyForcibly(); // SIGKILL, half-way through
                        break;
                    }
                }
            }
            assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(seen).as("killed before the end").noneMatch(l -> l.startsWith("done"))
                    .anyMatch(l -> l.startsWith("encrypted 10 of " + (BLOB_FILES + SMALL_FILES) + " files"));
            assertEveryFileReads(server.port(), files);

            ServerProcesses.Result rerun = processes.run("keys", "encrypt-existing", "--data-dir=data");
            assertThat(rerun.exitCode()).as(rerun.toString()).isZero();
            assertThat(rerun.out()).contains("done: ").contains(" 0 left as they were");
            ServerProcesses.Result status = processes.run("keys", "status", "--data-dir=data");
            assertThat(status.out()).contains("(primary): " + files.size() + " files").contains("not encrypted: 0 files");
            assertEveryFileReads(server.port(), files);
            assertThat(ServerProcesses.stop(server)).isZero();

            // The start-up sweep removes what a kill left (an old blob, a new one nothing points at).
            ServerProcesses.Server again = processes.startForeground("--port=0", "--bind=127.0.0.1", "--data-dir=data",
                    "--password-iterations=1000");
            assertEveryFileReads(again.port(), files);
            try (Stream<Path> all = Files.walk(data.resolve("blobs"))) {
                for (Path p : (Iterable<Path>) all.filter(Files::isRegularFile)::iterator) {
                    assertThat(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1))
                            .as("plaintext left in %s", p).doesNotContain(new String(MARKER, StandardCharsets.ISO_8859_1));
                }
            }
            assertThat(ServerProcesses.stop(again)).isZero();
        }
    }

    private static void assertEveryFileReads(int port, Map<String, byte[]> files) throws IOException {
        try (ProtocolClient client = ProtocolClient.connect(port)) {
            assertThat(client.command("LOGIN alice " + PASSWORD).code()).isEqualTo(230);
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                assertThat(Md5.hex(client.download(e.getKey()))).as(e.getKey()).isEqualTo(Md5.hex(e.getValue()));
            }
        }
    }

    /**
     * A data directory as one written before encryption at rest: files uploaded through a real
     * server, then their content put back in plaintext and their data keys dropped.
     */
    private static Map<String, byte[]> legacyDataDirectory(Path data) throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        Random random = new Random(18);
        for (int i = 0; i < BLOB_FILES + SMALL_FILES; i++) {
            byte[] content = new byte[i < BLOB_FILES ? 100_000 + random.nextInt(50_000) : 1 + random.nextInt(4000)];
            random.nextBytes(content);
            System.arraycopy(MARKER, 0, content, 0, Math.min(MARKER.length, content.length));
            files.put("/f" + i + ".bin", content);
        }
        try (NetdiskServer server = NetdiskServer.start(ServerConfig.forTests(data))) {
            server.users().register("alice", PASSWORD);
            try (ProtocolClient client = ProtocolClient.connect(server.port())) {
                client.command("LOGIN alice " + PASSWORD);
                for (Map.Entry<String, byte[]> e : files.entrySet()) {
                    assertThat(client.upload(e.getKey(), e.getValue()).code()).isEqualTo(226);
                }
            }
            Database db = server.database();
            DataKeys keys = server.tree().keys();
            List<String[]> blobs = db.read(c -> {
                List<String[]> out = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT blob_id, size,"
                        + " EXISTS (SELECT 1 FROM inline_blobs i WHERE i.blob_id = n.blob_id) FROM nodes n"
                        + " WHERE is_dir = 0"); ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                    }
                }
                return out;
            });
            for (String[] b : blobs) {
                DataKey key = keys.find(b[0]).orElseThrow();
                if (b[2].equals("1")) {
                    byte[] plain = server.tree().inlineContent(b[0]).orElseThrow();
                    db.transaction(c -> {
                        try (PreparedStatement ps = c.prepareStatement("UPDATE inline_blobs SET content = ? WHERE blob_id = ?")) {
                            ps.setBytes(1, plain);
                            ps.setString(2, b[0]);
                            return ps.executeUpdate();
                        }
                    });
                } else {
                    Path file = ((dev.netdisk.server.store.LocalBlobStore) server.blobs()).blobPath(b[0]);
                    ByteBuffer plain = ByteBuffer.allocate(Integer.parseInt(b[1]));
                    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                        PartReader reader = new PartReader(ch, key, b[0], plain.capacity());
                        while (plain.hasRemaining()) {
                            reader.read(plain, plain.position());
                        }
                    }
                    Files.write(file, plain.array());
                }
            }
            db.transaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM data_keys")) {
                    return ps.executeUpdate();
                }
            });
        }
        return files;
    }
}
