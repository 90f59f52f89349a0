package dev.netdisk.server;

/** Every conversation of {@link BatchUploadTest} again, each connection over TLS with the loopback exemption off. */
class TlsBatchUploadTest extends BatchUploadTest {

    @Override
    boolean tls() {
        return true;
    }
}
