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

/** The one rule that skips a mirror's file: same size and MD5 on both sides. Pure, no server. */
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
        assertThat(SkipIdentical.there(new MirrorJob("/a.txt", local, 6, file(6, HELLO_MD5)), content)).isTrue();
        assertThat(SkipIdentical.there(new MirrorJob("/a.txt", local, 6, file(6, HELLO_MD5)), (Cancellation) null)).isTrue();
        assertThat(SkipIdentical.there(new MirrorJob("/a.txt", local, 6, file(6, "0".repeat(32))), content)).isFalse();
        assertThat(SkipIdentical.there(new MirrorJob("/a.txt", local, 6, file(7, HELLO_MD5)), content)).isFalse();
        assertThat(SkipIdentical.there(new MirrorJob("/a.txt", local, 6, null), content)).isFalse();
        assertThat(SkipIdentical.there(new MirrorJob("/a.txt", local, 6, null), (Cancellation) null)).isFalse();
    }

    @Test
    void anEntryWithoutMd5IsNeverIdentical() throws Exception {
        Path local = hello();
        MirrorJob job = new MirrorJob("/a.txt", local, 6, file(6, null));
        assertThat(SkipIdentical.there(job, BatchConnection.Content.read(local))).isFalse();
        assertThat(SkipIdentical.there(job, (Cancellation) null)).isFalse();
        assertThat(SkipIdentical.here(job, null)).isFalse();
    }

    @Test
    void aDownloadIsSkippedWhenTheLocalFileMatches() throws Exception {
        Path local = hello();
        assertThat(SkipIdentical.here(new MirrorJob("/a.txt", local, 6, file(6, HELLO_MD5)), null)).isTrue();
        assertThat(SkipIdentical.here(new MirrorJob("/a.txt", local, 7, file(7, HELLO_MD5)), null)).isFalse();
        assertThat(SkipIdentical.here(new MirrorJob("/b.txt", tmp.resolve("b.txt"), 6, file(6, HELLO_MD5)), null))
                .isFalse();
    }

    @Test
    void aDirectoryInTheWayOfADownloadFails() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("d"));
        assertThatThrownBy(() -> SkipIdentical.here(new MirrorJob("/d", dir, 6, file(6, HELLO_MD5)), null))
                .isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining("a directory is in the way");
    }
}
