package dev.netdisk.cli.client;

import dev.netdisk.cli.client.tls.TlsOptions;
import dev.netdisk.server.app.NetdiskServer;
import java.io.IOException;

/**
 * Client-library connections to a test server, over TLS with its certificate pinned: test servers
 * on port 0 make a new certificate each, and a shared known_hosts would see a reused port as a
 * changed certificate.
 */
public final class TestConnections {

    private TestConnections() {
    }

    public static NetdiskClient connect(NetdiskServer server) throws IOException {
        return connect(server, null);
    }

    public static NetdiskClient connect(NetdiskServer server, EventListener listener) throws IOException {
        return NetdiskClient.connect("127.0.0.1", server.port(), listener,
                TlsOptions.defaults().withFingerprint(server.tlsFingerprint().orElseThrow()).withNotices(null));
    }
}
