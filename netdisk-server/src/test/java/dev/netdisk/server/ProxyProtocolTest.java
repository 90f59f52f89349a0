package dev.netdisk.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.protocol.Reply;
import dev.netdisk.server.app.NetdiskServer;
import dev.netdisk.server.config.AddressRanges;
import dev.netdisk.server.config.Limits;
import dev.netdisk.server.config.ServerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A server behind a TCP proxy that sends the PROXY protocol header (HAProxy's {@code send-proxy} and
 * {@code send-proxy-v2}): the client address the header names is the one every limit and the TLS
 * loopback exemption see; the client's first bytes are never lost; a proxy connection without a
 * valid header is closed without a greeting; and only trusted peers' headers are believed.
 */
class ProxyProtocolTest extends ServerTestSupport {

    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private final List<Socket> sockets = new ArrayList<>();

    @Override
    ServerConfig config() {
        ServerConfig c = super.config().withProxyProtocolFrom(AddressRanges.parse("127.0.0.1"));
        return c.withLimits(c.limits().withCounts(100, 2, 64, 64, 16)
                .withTimeouts(Duration.ofMinutes(15), Duration.ofMinutes(2), Duration.ofSeconds(2), Duration.ofSeconds(60)));
    }

    @AfterEach
    void closeSockets() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
    }

    private Socket proxied(byte[] header) throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.setSoTimeout(10_000);
        s.connect(new InetSocketAddress("127.0.0.1", server.port()));
        s.getOutputStream().write(header);
        return s;
    }

    private static byte[] v1(String client) {
        return ("PROXY TCP4 " + client + " 192.0.2.1 51234 2121\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] v2(byte[] client, int command) {
        ByteBuffer b = ByteBuffer.allocate(16 + 12).put(V2_SIGNATURE).put((byte) (0x20 | command)).put((byte) 0x11)
                .putShort((short) 12).put(client).put(new byte[] {(byte) 192, 0, 2, 1}).putShort((short) 51234).putShort((short) 2121);
        return b.array();
    }

    private static Reply greeting(Socket s) throws IOException {
        return ProtocolClient.wrap(s).reply();
    }

    @Test
    void theClientTheHeaderNamesIsTheOneTheTlsRuleSees() throws IOException {
        // Over a loopback socket, but for a client the proxy says is elsewhere: no password in clear.
        ProtocolClient far = ProtocolClient.wrap(proxied(v1("203.0.113.7")));
        assertThat(far.reply().code()).isEqualTo(220);
        assertThat(far.command("REGISTER carol " + PASSWORD).code()).isEqualTo(534);

        ProtocolClient near = ProtocolClient.wrap(proxied(v1("127.0.0.1")));
        assertThat(near.reply().code()).isEqualTo(220);
        assertThat(near.command("REGISTER carol " + PASSWORD).code()).isEqualTo(200);

        // Version 2, and a LOCAL header (a health check): the proxy's own, loopback, address.
        ProtocolClient v2far = ProtocolClient.wrap(proxied(v2(new byte[] {(byte) 198, 51, 100, 9}, 1)));
        assertThat(v2far.reply().code()).isEqualTo(220);
        assertThat(v2far.command("LOGIN carol " + PASSWORD).code()).isEqualTo(534);
        ProtocolClient local = ProtocolClient.wrap(proxied(v2(new byte[4], 0)));
        assertThat(local.reply().code()).isEqualTo(220);
        assertThat(local.command("LOGIN carol " + PASSWORD).code()).isEqualTo(230);
    }

    @Test
    void perAddressLimitsCountTheClientsNotTheProxy() throws IOException {
        assertThat(greeting(proxied(v1("203.0.113.7"))).code()).isEqualTo(220);
        assertThat(greeting(proxied(v1("203.0.113.7"))).code()).isEqualTo(220);
        Reply third = greeting(proxied(v1("203.0.113.7")));
        assertThat(third.code()).isEqualTo(421);
        assertThat(third.text()).contains("from your address");
        // Another client through the same proxy is welcome: the proxy's own address counts for nothing.
        assertThat(greeting(proxied(v1("203.0.113.8"))).code()).isEqualTo(220);
        assertThat(greeting(proxied(v1("203.0.113.9"))).code()).isEqualTo(220);
    }

    @Test
    void theClientsFirstBytesAreNeverLostWhateverTheyArriveWith() throws IOException {
        // The header and a command in one segment.
        byte[] header = v1("203.0.113.7");
        byte[] both = ByteBuffer.allocate(header.length + 6).put(header).put("NOOP\r\n".getBytes(StandardCharsets.US_ASCII)).array();
        ProtocolClient one = ProtocolClient.wrap(proxied(both));
        assertThat(one.reply().code()).isEqualTo(220);
        assertThat(one.reply().code()).isEqualTo(200);

        // The header a byte at a time.
        Socket s = proxied(new byte[0]);
        OutputStream out = s.getOutputStream();
        for (byte b : v2(new byte[] {(byte) 198, 51, 100, 9}, 1)) {
            out.write(b);
            out.flush();
        }
        ProtocolClient slow = ProtocolClient.wrap(s);
        assertThat(slow.reply().code()).isEqualTo(220);
        assertThat(slow.command("NOOP").code()).isEqualTo(200);
    }

    @Test
    void aProxyConnectionWithoutAValidHeaderIsClosedWithoutAWord() throws IOException {
        assertClosedSilently(proxied("NOOP\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertClosedSilently(proxied("PROXY TCP4 example.com 192.0.2.1 1 2\r\n".getBytes(StandardCharsets.US_ASCII)));
        // Nothing at all: closed after the line timeout (2 s here).
        assertClosedSilently(proxied(new byte[0]));
        // And the server goes on serving.
        assertThat(greeting(proxied(v1("203.0.113.7"))).code()).isEqualTo(220);
    }

    @Test
    void aStoppingServerClosesProxyConnectionsStillWaitingForTheirHeader() throws IOException {
        Socket waiting = proxied("PROXY TCP4 ".getBytes(StandardCharsets.US_ASCII));
        assertThat(greeting(proxied(v1("203.0.113.7"))).code()).as("the loop has taken both").isEqualTo(220);
        server.close();
        server = null;
        assertClosedSilently(waiting);
    }

    private static void assertClosedSilently(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        assertThat(in.read()).as("no greeting, then end of stream").isEqualTo(-1);
    }

    @Test
    void onlyTrustedPeersHeadersAreBelieved() throws Exception {
        server.close();
        server = NetdiskServer.start(config().withProxyProtocolFrom(AddressRanges.parse("10.0.0.0/8")));
        ProtocolClient direct = connect();
        // From an untrusted peer, a PROXY header is a line like any other: an unknown command.
        assertThat(direct.command("PROXY TCP4 10.1.2.3 192.0.2.1 51234 2121").code()).isEqualTo(500);
        assertThat(direct.command("REGISTER dave " + PASSWORD).code()).isEqualTo(200);
    }
}
