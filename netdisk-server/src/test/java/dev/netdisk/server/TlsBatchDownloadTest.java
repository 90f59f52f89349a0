package dev.netdisk.server;

/** Every conversation of {@link BatchDownloadTest} again, each connection over TLS with the loopback exemption off. */
class TlsBatchDownloadTest extends BatchDownloadTest {

    @Override
    boolean tls() {
        return true;
    }
}
