package dev.netdisk.server.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirLockTest {

    @TempDir
    Path dir;

    @Test
    void oneHolderAtATimeAndFreeAgainAfterClose() throws Exception {
        assertThat(DataDirLock.isHeld(dir)).isFalse();
        try (DataDirLock lock = DataDirLock.acquire(dir)) {
            assertThat(Files.readString(dir.resolve("lock")).strip()).isEqualTo(Long.toString(ProcessHandle.current().pid()));
            assertThat(DataDirLock.isHeld(dir)).isTrue();
            assertThat(Files.getPosixFilePermissions(dir.resolve("lock")))
                    .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            assertThatThrownBy(() -> DataDirLock.acquire(dir)).isInstanceOf(DataDirLock.LockedException.class)
                    .hasMessageContaining("is in use by another netdisk-server (pid " + ProcessHandle.current().pid() + ")");
        }
        assertThat(DataDirLock.isHeld(dir)).isFalse();
        DataDirLock.acquire(dir).close();
    }
}
