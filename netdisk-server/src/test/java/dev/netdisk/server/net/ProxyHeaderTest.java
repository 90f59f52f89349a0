package dev.netdisk.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The PROXY protocol header as HAProxy's doc/proxy-protocol.txt defines it, read never past its end. */
class ProxyHeaderTest {

    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    /** Feeds {@code header} as a reader would, the bytes {@link ProxyHeader#parse} allows at a time, and returns the last step. */
    private static ProxyHeader.Step feed(byte[] header) {
        byte[] read = new byte[ProxyHeader.MAX_LENGTH];
        int length = 0;
        while (true) {
            ProxyHeader.Step step = ProxyHeader.parse(read, length);
            if (!(step instanceof ProxyHeader.NeedMore more)) {
                assertThat(length).as("stopped exactly at the header's end").isLessThanOrEqualTo(header.length);
                return step;
            }
            assertThat(more.bytes()).isPositive();
            if (length == header.length) {
                return step;
            }
            int n = Math.min(more.bytes(), header.length - length);
            System.arraycopy(header, length, read, length, n);
            length += n;
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aVersion1LineNamesTheClientAndIsReadNoFurther() {
        byte[] header = ascii("PROXY TCP4 203.0.113.7 192.0.2.1 51234 2121\r\n");
        byte[] withCommand = ByteBuffer.allocate(header.length + 6).put(header).put(ascii("NOOP\r\n")).array();

        assertThat(feed(withCommand)).isEqualTo(new ProxyHeader.Done(new InetSocketAddress("203.0.113.7", 51234)));
        assertThat(feed(ascii("PROXY TCP6 2001:db8::7 2001:db8::1 40000 2121\r\nNOOP\r\n")))
                .isEqualTo(new ProxyHeader.Done(new InetSocketAddress("2001:db8::7", 40000)));
        assertThat(feed(ascii("PROXY UNKNOWN\r\nNOOP\r\n"))).isEqualTo(new ProxyHeader.Done(null));
        assertThat(feed(ascii("PROXY UNKNOWN ffff::1 ffff::2 1 2\r\n"))).isEqualTo(new ProxyHeader.Done(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "NOOP\r\n",
        "PROXY TCP4 203.0.113.7 192.0.2.1 51234\r\n",
        "PROXY TCP4 203.0.113.999 192.0.2.1 51234 2121\r\n",
        "PROXY TCP4 2001:db8::7 192.0.2.1 51234 2121\r\n",
        "PROXY TCP6 203.0.113.7 2001:db8::1 51234 2121\r\n",
        "PROXY TCP4 example.com 192.0.2.1 51234 2121\r\n",
        "PROXY TCP4 203.0.113.7 192.0.2.1 65536 2121\r\n",
        "PROXY TCP4 203.0.113.7 192.0.2.1 0080 2121\r\n",
        "PROXY TCP4  203.0.113.7 192.0.2.1 51234 2121\r\n",
        "PROXY UDP4 203.0.113.7 192.0.2.1 51234 2121\r\n",
    })
    void aMalformedVersion1LineIsRefused(String line) {
        assertThat(feed(ascii(line))).isInstanceOf(ProxyHeader.Invalid.class);
    }

    @Test
    void aVersion1LineWithoutItsEndIsRefusedAt107Bytes() {
        byte[] endless = ascii("PROXY TCP4 " + "1".repeat(200));
        assertThat(feed(endless)).isInstanceOf(ProxyHeader.Invalid.class);
        byte[] read = new byte[ProxyHeader.MAX_LENGTH];
        System.arraycopy(endless, 0, read, 0, ProxyHeader.MAX_V1 - 1);
        assertThat(ProxyHeader.parse(read, ProxyHeader.MAX_V1 - 1)).isEqualTo(new ProxyHeader.NeedMore(1));
    }

    private static byte[] v2(int versionCommand, int family, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(V2_SIGNATURE);
        out.write(versionCommand);
        out.write(family);
        out.write(body.length >> 8);
        out.write(body.length & 0xFF);
        out.writeBytes(body);
        return out.toByteArray();
    }

    @Test
    void aVersion2HeaderNamesTheClientAndItsTlvsAreSkipped() {
        byte[] tcp4 = ByteBuffer.allocate(12 + 7).put(new byte[] {(byte) 203, 0, 113, 7}).put(new byte[] {(byte) 192, 0, 2, 1})
                .putShort((short) 51234).putShort((short) 2121)
                .put(new byte[] {0x05, 0x00, 0x04, 1, 2, 3, 4}) // PP2_TYPE_UNIQUE_ID, 4 bytes
                .array();
        byte[] header = v2(0x21, 0x11, tcp4);
        byte[] withCommand = ByteBuffer.allocate(header.length + 6).put(header).put(ascii("NOOP\r\n")).array();
        assertThat(feed(withCommand)).isEqualTo(new ProxyHeader.Done(new InetSocketAddress("203.0.113.7", 51234)));

        byte[] tcp6 = ByteBuffer.allocate(36).put(new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7})
                .put(new byte[16]).putShort((short) 40000).putShort((short) 2121).array();
        assertThat(feed(v2(0x21, 0x21, tcp6))).isEqualTo(new ProxyHeader.Done(new InetSocketAddress("2001:db8::7", 40000)));
    }

    @Test
    void aVersion2LocalOrUnspecifiedHeaderNamesNoClient() {
        assertThat(feed(v2(0x20, 0x00, new byte[0]))).isEqualTo(new ProxyHeader.Done(null));
        assertThat(feed(v2(0x21, 0x00, new byte[0]))).isEqualTo(new ProxyHeader.Done(null));
        assertThat(feed(v2(0x21, 0x31, new byte[216]))).isEqualTo(new ProxyHeader.Done(null));
    }

    @Test
    void aBadVersion2HeaderIsRefused() {
        assertThat(feed(v2(0x11, 0x11, new byte[12]))).as("version 1 in a version 2 header").isInstanceOf(ProxyHeader.Invalid.class);
        assertThat(feed(v2(0x22, 0x11, new byte[12]))).as("command 2").isInstanceOf(ProxyHeader.Invalid.class);
        assertThat(feed(v2(0x21, 0x11, new byte[8]))).as("too short for two IPv4 addresses").isInstanceOf(ProxyHeader.Invalid.class);
        byte[] huge = v2(0x21, 0x11, new byte[0]);
        huge[14] = (byte) 0xFF;
        huge[15] = (byte) 0xFF;
        assertThat(feed(huge)).as("65535 bytes of TLVs").isInstanceOf(ProxyHeader.Invalid.class);
    }
}
