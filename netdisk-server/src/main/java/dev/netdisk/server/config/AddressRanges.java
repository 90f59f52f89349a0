package dev.netdisk.server.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A set of IP address ranges in CIDR notation (RFC 4632 for IPv4, RFC 4291 section 2.3 for IPv6),
 * such as {@code 10.0.0.0/8, 192.168.1.5, fd00::/8}: the proxies whose PROXY protocol headers the
 * server believes ({@code --proxy-protocol-from}). An address without a prefix length is one host.
 * An IPv4 range never matches an IPv6 address, IPv4-mapped ones included: list both if a proxy
 * connects over both.
 *
 * <p>Immutable and thread-safe.
 */
public final class AddressRanges {

    /** No range: nothing matches. */
    public static final AddressRanges NONE = new AddressRanges(List.of(), "");

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private record Range(byte[] network, int prefixBits) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefixBits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefixBits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xFF << (8 - rest) & 0xFF;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Range> ranges;
    private final String text;

    private AddressRanges(List<Range> ranges, String text) {
        this.ranges = ranges;
        this.text = text;
    }

    /**
     * Parses a comma- or space-separated list of addresses and CIDR ranges.
     *
     * @param text for example {@code "10.0.0.0/8, 2001:db8::/32, 127.0.0.1"}; blank gives {@link #NONE}
     * @throws IllegalArgumentException naming the entry that is not an IP literal, or whose prefix
     *                                  length is out of 0-32 (IPv4) or 0-128 (IPv6), or that has
     *                                  bits set past its prefix ({@code 10.1.0.0/8})
     */
    public static AddressRanges parse(String text) {
        List<Range> ranges = new ArrayList<>();
        List<String> entries = new ArrayList<>();
        for (String entry : text.trim().split("[,\\s]+")) {
            if (!entry.isEmpty()) {
                ranges.add(range(entry));
                entries.add(entry);
            }
        }
        return ranges.isEmpty() ? NONE : new AddressRanges(List.copyOf(ranges), String.join(", ", entries));
    }

    private static Range range(String entry) {
        int slash = entry.indexOf('/');
        InetAddress host = literal(slash < 0 ? entry : entry.substring(0, slash));
        if (host == null) {
            throw new IllegalArgumentException("not an IP address or CIDR range: " + entry);
        }
        byte[] network = host.getAddress();
        int maxBits = network.length * 8;
        int bits = maxBits;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(entry.substring(slash + 1));
            } catch (NumberFormatException e) {
                bits = -1;
            }
            if (bits < 0 || bits > maxBits) {
                throw new IllegalArgumentException("prefix length must be 0-" + maxBits + ": " + entry);
            }
        }
        if (!hostBitsClear(network, bits)) {
            throw new IllegalArgumentException("address has bits set past its prefix length: " + entry);
        }
        return new Range(network, bits);
    }

    private static boolean hostBitsClear(byte[] network, int bits) {
        for (int bit = bits; bit < network.length * 8; bit++) {
            if ((network[bit / 8] >> (7 - bit % 8) & 1) != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The address an IP literal names ({@code 192.0.2.7}, {@code 2001:db8::1}), or null when
     * {@code text} is not one. Never a name lookup: a host name here would wait on DNS, on the
     * selector thread or at start.
     */
    public static InetAddress literal(String text) {
        try {
            var v4 = IPV4.matcher(text);
            if (v4.matches()) {
                byte[] bytes = new byte[4];
                for (int i = 0; i < 4; i++) {
                    int octet = Integer.parseInt(v4.group(i + 1));
                    if (octet > 255) {
                        return null;
                    }
                    bytes[i] = (byte) octet;
                }
                return InetAddress.getByAddress(bytes);
            }
            // With a colon in it, the JDK parses the text as an IPv6 literal and never looks it up.
            return IPV6.matcher(text).matches() ? InetAddress.getByName(text) : null;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Whether {@code address} is in one of the ranges. */
    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        for (Range r : ranges) {
            if (r.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    /** Whether there is no range at all. */
    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    /** The ranges as given, comma-separated; empty for {@link #NONE}. */
    @Override
    public String toString() {
        return text;
    }
}
