package dev.netdisk.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressRangesTest {

    private static InetAddress ip(String literal) {
        return AddressRanges.literal(literal);
    }

    @Test
    void rangesMatchTheirAddressesOnly() {
        AddressRanges r = AddressRanges.parse("10.0.0.0/8, 192.168.1.5 2001:db8::/32,172.16.0.0/12");
        assertThat(r.contains(ip("10.255.0.1"))).isTrue();
        assertThat(r.contains(ip("11.0.0.1"))).isFalse();
        assertThat(r.contains(ip("192.168.1.5"))).isTrue();
        assertThat(r.contains(ip("192.168.1.6"))).isFalse();
        assertThat(r.contains(ip("172.31.255.255"))).isTrue();
        assertThat(r.contains(ip("172.32.0.0"))).isFalse();
        assertThat(r.contains(ip("2001:db8:ffff::1"))).isTrue();
        assertThat(r.contains(ip("2001:db9::1"))).isFalse();
        assertThat(r.toString()).isEqualTo("10.0.0.0/8, 192.168.1.5, 2001:db8::/32, 172.16.0.0/12");
        assertThat(AddressRanges.parse("0.0.0.0/0").contains(ip("203.0.113.7"))).isTrue();
        assertThat(AddressRanges.parse("0.0.0.0/0").contains(ip("::1"))).as("IPv4 ranges never match IPv6").isFalse();
        assertThat(AddressRanges.parse("  ").isEmpty()).isTrue();
        assertThat(AddressRanges.NONE.contains(ip("127.0.0.1"))).isFalse();
    }

    @Test
    void anythingButAnIpLiteralIsRefusedWithoutALookup() {
        assertThatThrownBy(() -> AddressRanges.parse("localhost")).hasMessageContaining("localhost");
        assertThatThrownBy(() -> AddressRanges.parse("10.0.0.256")).hasMessageContaining("10.0.0.256");
        assertThatThrownBy(() -> AddressRanges.parse("10.0.0.0/33")).hasMessageContaining("0-32");
        assertThatThrownBy(() -> AddressRanges.parse("::/129")).hasMessageContaining("0-128");
        assertThatThrownBy(() -> AddressRanges.parse("10.1.0.0/8")).hasMessageContaining("past its prefix");
        assertThatThrownBy(() -> AddressRanges.parse("10.0.0.0/x")).hasMessageContaining("0-32");
        assertThat(AddressRanges.literal("1.2.3")).isNull();
        assertThat(AddressRanges.literal("fe80::1%eth0")).isNull();
    }
}
