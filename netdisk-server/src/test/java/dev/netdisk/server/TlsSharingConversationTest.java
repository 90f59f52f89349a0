package dev.netdisk.server;

/** Every conversation of {@link SharingConversationTest} again, each connection over TLS with the loopback exemption off. */
class TlsSharingConversationTest extends SharingConversationTest {

    @Override
    boolean tls() {
        return true;
    }
}
