package dev.netdisk.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.server.config.Limits;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ControlTimeoutsTest {

    private final Limits limits = Limits.defaults();

    private static long nanos(Duration d) {
        return d.toNanos();
    }

    @Test
    void nothingRunsOutBeforeItsTime() {
        assertThat(ControlTimeouts.expired(nanos(limits.loginTimeout()), 0, false, limits)).isNull();
        assertThat(ControlTimeouts.expired(nanos(limits.idleTimeout()), 0, true, limits)).isNull();
        assertThat(ControlTimeouts.expired(0, nanos(limits.lineTimeout()), true, limits)).isNull();
    }

    @Test
    void anUnfinishedLineGoesFirst() {
        long past = nanos(limits.lineTimeout()) + 1;
        assertThat(ControlTimeouts.expired(nanos(limits.idleTimeout()) + 1, past, false, limits))
                .isEqualTo("line not finished within " + limits.lineTimeout().toSeconds() + " seconds");
    }

    @Test
    void aConnectionWithoutLoginHasTheShorterTimeout() {
        long past = nanos(limits.loginTimeout()) + 1;
        assertThat(ControlTimeouts.expired(past, 0, false, limits))
                .isEqualTo("no login within " + limits.loginTimeout().toSeconds() + " seconds");
        assertThat(ControlTimeouts.expired(past, 0, true, limits)).isNull();
    }

    @Test
    void aLoggedInSessionIsClosedWhenIdle() {
        assertThat(ControlTimeouts.expired(nanos(limits.idleTimeout()) + 1, 0, true, limits))
                .isEqualTo("idle for " + limits.idleTimeout().toSeconds() + " seconds");
    }
}
