package dev.netdisk.cli.client.mirror;

import dev.netdisk.cli.client.Cancellation;
import dev.netdisk.cli.client.Entry;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The one rule that skips a mirror's file: the same size and time to the second, or the same size
 * and MD5 (always the MD5 with checksum). Pure, no server; the entries here are from 1970, so
 * unless a test sets the local time, the MD5 decides.
 */
class SkipIdenticalTest {

    /** MD5 of "hello\n". */
    private static final String HELLO_MD5 = "b1946ac92492d2347c6235b4d2611184";

    @TempDir
    Path tmp;

    private static Entry file(long size, String md5) {
        return new Entry(Entry.Type.FILE, size, Instant.EPOCH, md5, "a.txt");
    }

    private Path hello() throws Exception {
        return Files.writeString(tmp.resolve("a.txt"), "hello\n", StandardCharsets.UTF_8);
    }

    @Test
    void anUploadIsSkippedOnlyWhenSizeAndMd5Match() throws Exception {
        Path local = hello();
        BatchConnection.Content content = BatchConnection.Content.read(local);
        assertThat(SkipIdentical.there(new MirrorJob("/a.txt", local, 6, file(6, HELLO_MD5)), content, false)).isTrue();
        assertThat(SkipIdentical.there(new MirrorJob("/a.txt", local, 6, file(6, HELLO_MD5)), (Cancellation) null, false)).isTrue();
        assertThat(SkipIdentical.there(new MirrorJob("/a.txt", local, 6, file(6, "0".repeat(32))), content, false)).isFalse();
        assertThat(SkipIdentical.there(new MirrorJob("/a.txt", local, 6, file(7, HELLO_MD5)), content, false)).isFalse();
        assertThat(SkipIdentical.there(new MirrorJob("/a.txt", local, 6, null), content, false)).isFalse();
        assertThat(SkipIdentical.there(new MirrorJob("/a.txt", local, 6, null), (Cancellation) null, false)).isFalse();
    }

    @Test
    void anEntryWithoutMd5IsNeverIdentical() throws Exception {
        Path local = hello();
        MirrorJob job = new MirrorJob("/a.txt", local, 6, file(6, null));
        assertThat(SkipIdentical.there(job, BatchConnection.Content.read(local), false)).isFalse();
        assertThat(SkipIdentical.there(job, (Cancellation) null, false)).isFalse();
        assertThat(SkipIdentical.here(job, null, false)).isFalse();
    }

    @Test
    void aDownloadIsSkippedWhenTheLocalFileMatches() throws Exception {
        Path local = hello();
        assertThat(SkipIdentical.here(new MirrorJob("/a.txt", local, 6, file(6, HELLO_MD5)), null, false)).isTrue();
        assertThat(SkipIdentical.here(new MirrorJob("/a.txt", local, 7, file(7, HELLO_MD5)), null, false)).isFalse();
        assertThat(SkipIdentical.here(new MirrorJob("/b.txt", tmp.resolve("b.txt"), 6, file(6, HELLO_MD5)), null, false))
                .isFalse();
    }

    @Test
    void theSameSizeAndSecondAreIdenticalWithoutReadingUnlessChecksumAsks() throws Exception {
        Path local = hello();
        long millis = 1_577_934_245_678L;
        Files.setLastModifiedTime(local, java.nio.file.attribute.FileTime.fromMillis(millis));
        // Another MD5 on the server: only the MD5 can tell.
        Entry sameTime = new Entry(Entry.Type.FILE, 6, Instant.ofEpochMilli(millis - 678), "0".repeat(32), "a.txt");
        MirrorJob job = new MirrorJob("/a.txt", local, 6, sameTime);
        assertThat(SkipIdentical.there(job, (Cancellation) null, false)).isTrue();
        assertThat(SkipIdentical.there(job, BatchConnection.Content.read(local), false)).isTrue();
        assertThat(SkipIdentical.here(job, null, false)).isTrue();
        assertThat(SkipIdentical.there(job, (Cancellation) null, true)).isFalse();
        assertThat(SkipIdentical.here(job, null, true)).isFalse();
        Entry nextSecond = new Entry(Entry.Type.FILE, 6, Instant.ofEpochMilli(millis + 1000), "0".repeat(32), "a.txt");
        assertThat(SkipIdentical.there(new MirrorJob("/a.txt", local, 6, nextSecond), (Cancellation) null, false))
                .isFalse();
    }

    @Test
    void aDownloadFoundIdenticalByItsMd5TakesTheRemoteTime() throws Exception {
        Path local = hello();
        Instant remote = Instant.parse("2020-01-02T03:04:05.678Z");
        MirrorJob job = new MirrorJob("/a.txt", local, 6, new Entry(Entry.Type.FILE, 6, remote, HELLO_MD5, "a.txt"));
        assertThat(SkipIdentical.here(job, null, false)).isTrue();
        assertThat(Files.getLastModifiedTime(local).toInstant()).isEqualTo(remote);
    }

    @Test
    void aDirectoryInTheWayOfADownloadFails() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("d"));
        assertThatThrownBy(() -> SkipIdentical.here(new MirrorJob("/d", dir, 6, file(6, HELLO_MD5)), null, false))
                .isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining("a directory is in the way");
    }
}
