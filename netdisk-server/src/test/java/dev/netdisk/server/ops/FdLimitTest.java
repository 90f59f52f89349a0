package dev.netdisk.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FdLimitTest {

    @TempDir
    Path dir;

    @Test
    void readsTheSoftLimitFromProcLimits() throws Exception {
        Path limits = dir.resolve("limits");
        Files.writeString(limits, """
                Limit                     Soft Limit           Hard Limit           Units
                Max processes             95000                95000                processes
                Max open files            1024                 4096                 files
                """);
        assertThat(FdLimit.softLimit(limits)).hasValue(1024);
        Files.writeString(limits, "Max open files            unlimited            unlimited            files\n");
        assertThat(FdLimit.softLimit(limits)).isEmpty();
        assertThat(FdLimit.softLimit(dir.resolve("missing"))).isEmpty();
    }

    @Test
    void maxConnectionsIsLoweredToWhatFitsWithTheReserveKept() {
        // 1024 - 40 open - 102 reserve
        assertThat(FdLimit.fit(20_000, OptionalLong.of(1024), OptionalLong.of(40))).isEqualTo(882);
        assertThat(FdLimit.fit(0, OptionalLong.of(1024), OptionalLong.of(40))).isEqualTo(882);
        assertThat(FdLimit.fit(500, OptionalLong.of(1024), OptionalLong.of(40))).isEqualTo(500);
        assertThat(FdLimit.fit(20_000, OptionalLong.of(100), OptionalLong.of(90))).isEqualTo(1);
        assertThat(FdLimit.fit(20_000, OptionalLong.empty(), OptionalLong.empty())).isEqualTo(20_000);
    }
}
