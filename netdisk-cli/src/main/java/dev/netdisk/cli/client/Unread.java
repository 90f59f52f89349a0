package dev.netdisk.cli.client;

/**
 * A conversation with unread messages, as {@code UNREAD} lists it:
 * {@code NAME unread=N newest=ID read=ID} (PROTOCOL.md section 7).
 *
 * @param conversation the other user, or {@code #group}
 * @param count        unread messages from others
 * @param newestId     the conversation's newest message
 * @param readId       the read marker (0: nothing read yet)
 */
public record Unread(String conversation, long count, long newestId, long readId) {

    static Unread parse(String line) {
        String[] f = line.split(" ");
        if (f.length < 4) {
            throw new IllegalArgumentException("malformed UNREAD line: " + line);
        }
        return new Unread(f[0], value(f[1], "unread", line), value(f[2], "newest", line), value(f[3], "read", line));
    }

    private static long value(String word, String key, String line) {
        if (!word.startsWith(key + "=")) {
            throw new IllegalArgumentException("malformed UNREAD line: " + line);
        }
        return Long.parseLong(word.substring(key.length() + 1));
    }
}
