package dev.netdisk.server.app;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The id of one run of one server process: 64 random bits as 16 hex digits, new at every start.
 * Rows that a server must keep alive while it runs (the leases of its transfers and uploads, its
 * presence rows) name it, so rows left by a run that died are never renewed by the next one.
 */
final class ServerInstance {

    private static final SecureRandom RANDOM = new SecureRandom();

    private ServerInstance() {
    }

    static String newId() {
        byte[] raw = new byte[8];
        RANDOM.nextBytes(raw);
        return HexFormat.of().formatHex(raw);
    }
}
