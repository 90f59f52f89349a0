package dev.netdisk.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HeartbeatTest {

    @Test
    void renewalsComeEveryFiveSecondsOrEveryThirdOfAShorterLease() {
        assertThat(Heartbeat.period(Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(5));
        assertThat(Heartbeat.period(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(5));
        assertThat(Heartbeat.period(Duration.ofSeconds(15))).isEqualTo(Duration.ofSeconds(5));
        assertThat(Heartbeat.period(Duration.ofSeconds(6))).isEqualTo(Duration.ofSeconds(2));
        assertThat(Heartbeat.period(Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(1));
    }
}
