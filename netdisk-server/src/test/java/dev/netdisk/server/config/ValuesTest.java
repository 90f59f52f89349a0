package dev.netdisk.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ValuesTest {

    @Test
    void bytesTakeBinarySuffixes() {
        assertThat(Values.bytes("0")).isZero();
        assertThat(Values.bytes("1500")).isEqualTo(1500);
        assertThat(Values.bytes("10K")).isEqualTo(10 * 1024);
        assertThat(Values.bytes("500m")).isEqualTo(500L << 20);
        assertThat(Values.bytes("2G")).isEqualTo(2L << 30);
        assertThat(Values.bytes("2GiB")).isEqualTo(2L << 30);
        assertThat(Values.bytes("1T")).isEqualTo(1L << 40);
        assertThatThrownBy(() -> Values.bytes("lots")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Values.bytes("-1")).hasMessageContaining("negative");
        assertThatThrownBy(() -> Values.bytes("99999999999T")).hasMessageContaining("too large");
    }

    @Test
    void portsAndCounts() {
        assertThat(Values.port("0")).isZero();
        assertThat(Values.port(" 65535 ")).isEqualTo(65535);
        assertThatThrownBy(() -> Values.port("65536")).hasMessage("a port is 0-65535, not 65536");
        assertThatThrownBy(() -> Values.port("x")).hasMessage("not an integer");
        assertThatThrownBy(() -> Values.atLeast("999", 1000)).hasMessage("must be at least 1000, not 999");
    }

    @Test
    void booleansAreStrict() {
        assertThat(Values.bool("true")).isTrue();
        assertThat(Values.bool("False")).isFalse();
        assertThatThrownBy(() -> Values.bool("1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void logLevels() {
        assertThat(LogLevel.parse("warn")).isEqualTo(LogLevel.WARNING);
        assertThat(LogLevel.parse("DEBUG").jul()).isEqualTo(java.util.logging.Level.FINE);
        assertThatThrownBy(() -> LogLevel.parse("verbose")).isInstanceOf(IllegalArgumentException.class);
    }
}
