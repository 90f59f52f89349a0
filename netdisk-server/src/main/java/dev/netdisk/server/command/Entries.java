package dev.netdisk.server.command;

import dev.netdisk.server.store.Node;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The entry line of {@code LS} and {@code STAT}: {@code TYPE SIZE MTIME MD5 NAME} ({@code docs/PROTOCOL.md} section 5). */
final class Entries {

    /** UTC ISO-8601 with milliseconds, always three digits. */
    static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Entries() {
    }

    static String format(Node node, String name) {
        return (node.directory() ? "d " : "f ") + node.size() + ' '
                + TIMESTAMP.format(Instant.ofEpochMilli(node.mtimeMillis())) + ' '
                + (node.directory() ? "-" : node.md5()) + ' ' + name;
    }
}
