package dev.netdisk.cli.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TransferBarTest {

    private static final long MIB = 1 << 20;

    @Test
    void theRateIsRealWithinTheFirstSecond() {
        String line = TransferBar.line("big.iso", 0, 50 * MIB, 200 * MIB, Duration.ofMillis(500), 100, "MiB", MIB);
        assertThat(line).contains(" 25% [").contains("50.0/200.0 MiB").contains("100.0 MiB/s").contains("0:00:01 left");
        assertThat(line.length()).isLessThanOrEqualTo(100);
    }

    @Test
    void aResumeCountsOnlyTheBytesMovedAndNothingMovedShowsDashes() {
        String resumed = TransferBar.line("a", 100 * MIB, 110 * MIB, 200 * MIB, Duration.ofSeconds(1), 100, "MiB", MIB);
        assertThat(resumed).contains("10.0 MiB/s").contains("0:00:09 left");
        String idle = TransferBar.line("a", 0, 0, 200 * MIB, Duration.ofMillis(50), 100, "MiB", MIB);
        assertThat(idle).contains("-- MiB/s").contains("--:-- left").doesNotContain("?");
    }

    @Test
    void aLongNameIsCutToFitTheWidth() {
        String line = TransferBar.line("x".repeat(200), 0, 1, 2, Duration.ofSeconds(1), 60, "B", 1);
        assertThat(line.length()).isLessThanOrEqualTo(60);
        assertThat(line).contains("1/2 B");
    }
}
