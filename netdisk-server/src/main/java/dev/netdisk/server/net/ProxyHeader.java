package dev.netdisk.server.net;

import dev.netdisk.server.config.AddressRanges;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * The PROXY protocol header that a TCP proxy (HAProxy's {@code send-proxy} and {@code
 * send-proxy-v2}, nginx's stream {@code proxy_protocol}, cloud load balancers) sends before the
 * client's first byte, naming the client's address: version 1 (a text line of at most 107 bytes)
 * and version 2 (16 bytes, then at most {@link #MAX_V2_BODY} bytes of addresses and TLVs), both as
 * HAProxy's "The PROXY protocol" specification (doc/proxy-protocol.txt, 2020) defines them.
 *
 * <p>{@link #parse} is told the bytes read so far and answers how many more may be read <em>without
 * reading past the header</em>, so that the client's own bytes stay in the socket for the
 * connection that follows. Pure functions; thread-safe.
 */
final class ProxyHeader {

    /** The longest version 1 header, CRLF included. */
    static final int MAX_V1 = 107;
    /** The most bytes of addresses and TLVs this server takes after a version 2 header's 16 bytes. */
    static final int MAX_V2_BODY = 1024;
    /** The longest header this server takes, of either version. */
    static final int MAX_LENGTH = 16 + MAX_V2_BODY;

    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    private static final byte[] V1_PREFIX = "PROXY ".getBytes(StandardCharsets.US_ASCII);
    /** "PROXY UNKNOWN\r\n": the shortest header of either version. */
    private static final int MIN_LENGTH = 15;
    private static final Pattern PORT = Pattern.compile("0|[1-9]\\d{0,4}");

    private ProxyHeader() {
    }

    /** What the bytes read so far make. */
    sealed interface Step {
    }

    /** Read at most {@code bytes} more (at least 1), then parse again. */
    record NeedMore(int bytes) implements Step {
    }

    /**
     * A whole header.
     *
     * @param client the client's address and port, or null when the header names none ({@code LOCAL},
     *               {@code UNKNOWN}, a Unix socket): the proxy speaks for itself, as its health checks do
     */
    record Done(InetSocketAddress client) implements Step {
    }

    /** Not a header this server takes; {@code why} says what was wrong, for the log. */
    record Invalid(String why) implements Step {
    }

    /**
     * Parses the first {@code length} bytes of {@code bytes}: everything read from the connection so far.
     *
     * @return what to do next; {@link Done} only when the header ends exactly at {@code length}
     */
    static Step parse(byte[] bytes, int length) {
        if (length < MIN_LENGTH) {
            if (!startsWithPrefixOf(bytes, length, V2_SIGNATURE) && !startsWithPrefixOf(bytes, length, V1_PREFIX)) {
                return new Invalid("not a PROXY protocol header");
            }
            return new NeedMore(MIN_LENGTH - length);
        }
        if (startsWithPrefixOf(bytes, length, V2_SIGNATURE)) {
            return v2(bytes, length);
        }
        if (startsWithPrefixOf(bytes, length, V1_PREFIX)) {
            return v1(bytes, length);
        }
        return new Invalid("not a PROXY protocol header");
    }

    /** Whether the first {@code length} bytes (or all of {@code prefix}, if shorter) match. */
    private static boolean startsWithPrefixOf(byte[] bytes, int length, byte[] prefix) {
        int n = Math.min(length, prefix.length);
        return Arrays.equals(bytes, 0, n, prefix, 0, n);
    }

    private static Step v1(byte[] bytes, int length) {
        int end = -1;
        for (int i = 0; i + 1 < length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                end = i;
                break;
            }
        }
        if (end < 0) {
            if (length >= MAX_V1) {
                return new Invalid("version 1 header without CRLF in " + MAX_V1 + " bytes");
            }
            // A CR just read may be followed by the header's last byte; otherwise two more can't pass its end.
            return new NeedMore(Math.min(bytes[length - 1] == '\r' ? 1 : 2, MAX_V1 - length));
        }
        if (end + 2 != length) {
            return new Invalid("bytes after the version 1 header's CRLF");
        }
        String line = new String(bytes, 0, end, StandardCharsets.US_ASCII);
        String[] fields = line.split(" ", -1);
        if (fields.length >= 2 && fields[1].equals("UNKNOWN")) {
            return new Done(null);
        }
        if (fields.length != 6 || !(fields[1].equals("TCP4") || fields[1].equals("TCP6"))) {
            return new Invalid("malformed version 1 header: " + printable(line));
        }
        boolean v4 = fields[1].equals("TCP4");
        InetAddress source = literal(fields[2], v4);
        InetAddress destination = literal(fields[3], v4);
        int sourcePort = port(fields[4]);
        if (source == null || destination == null || sourcePort < 0 || port(fields[5]) < 0) {
            return new Invalid("malformed version 1 header: " + printable(line));
        }
        return new Done(new InetSocketAddress(source, sourcePort));
    }

    private static Step v2(byte[] bytes, int length) {
        if (length < 16) {
            return new NeedMore(16 - length);
        }
        int version = (bytes[12] & 0xF0) >> 4;
        int command = bytes[12] & 0x0F;
        if (version != 2 || command > 1) {
            return new Invalid("version 2 header with version " + version + " and command " + command);
        }
        int bodyLength = (bytes[14] & 0xFF) << 8 | bytes[15] & 0xFF;
        if (bodyLength > MAX_V2_BODY) {
            return new Invalid("version 2 header of " + bodyLength + " bytes after its first 16 (at most " + MAX_V2_BODY + ")");
        }
        if (length < 16 + bodyLength) {
            return new NeedMore(16 + bodyLength - length);
        }
        if (command == 0) {
            return new Done(null); // LOCAL: the proxy's own connection, a health check
        }
        int family = (bytes[13] & 0xF0) >> 4;
        int addressBytes = switch (family) {
            case 1 -> 4;
            case 2 -> 16;
            default -> 0; // UNSPEC or a Unix socket: no IP address to take
        };
        if (addressBytes == 0) {
            return new Done(null);
        }
        if (bodyLength < 2 * addressBytes + 4) {
            return new Invalid("version 2 header too short for its addresses: " + bodyLength + " bytes");
        }
        try {
            InetAddress source = InetAddress.getByAddress(Arrays.copyOfRange(bytes, 16, 16 + addressBytes));
            int portAt = 16 + 2 * addressBytes;
            int sourcePort = (bytes[portAt] & 0xFF) << 8 | bytes[portAt + 1] & 0xFF;
            return new Done(new InetSocketAddress(source, sourcePort));
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
    }

    /** An IP literal of the family asked, or null; never a name lookup. */
    private static InetAddress literal(String text, boolean v4) {
        InetAddress address = AddressRanges.literal(text);
        return address != null && (address.getAddress().length == 4) == v4 ? address : null;
    }

    private static int port(String text) {
        if (!PORT.matcher(text).matches()) {
            return -1;
        }
        int port = Integer.parseInt(text);
        return port <= 65_535 ? port : -1;
    }

    /** The line with anything outside printable ASCII shown as '?', for a log line. */
    private static String printable(String line) {
        return line.replaceAll("[^\\x20-\\x7E]", "?");
    }
}
