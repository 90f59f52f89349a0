package dev.netdisk.server;

/**
 * Every conversation of {@link FramingConversationTest} (the 8 KiB line limit, bad input,
 * pipelining, disconnects) again over TLS, with the loopback exemption off.
 */
class TlsFramingConversationTest extends FramingConversationTest {

    @Override
    boolean tls() {
        return true;
    }
}
