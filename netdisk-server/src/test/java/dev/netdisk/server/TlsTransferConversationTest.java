package dev.netdisk.server;

/**
 * Every conversation of {@link TransferConversationTest} (single uploads and downloads, resumes,
 * checksum refusals, concurrent transfers) again, each connection over TLS with the loopback
 * exemption off.
 */
class TlsTransferConversationTest extends TransferConversationTest {

    @Override
    boolean tls() {
        return true;
    }
}
