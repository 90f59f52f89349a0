package dev.netdisk.cli.client;

import java.util.Optional;

/**
 * A file sent in a chat message (PROTOCOL.md section 7, "Files in messages"): the message's first
 * line is {@code netdisk:file code=CODE size=N name=NAME}, its later lines the sender's note. The
 * file stays in the sender's space, behind a read-only link; the recipient downloads it with
 * {@code FETCH CODE} ({@code netdisk fetch CODE}).
 *
 * @param code the link code
 * @param size the file's size in bytes
 * @param name the file's name
 */
public record SentFile(String code, long size, String name) {

    static final String PREFIX = "netdisk:file ";

    /** The message text that carries this file, with {@code note} (may be empty) after it. */
    public String message(String note) {
        return PREFIX + "code=" + code + " size=" + size + " name=" + name + (note.isEmpty() ? "" : "\n" + note);
    }

    /** The file a message text carries, if its first line is a file reference. */
    public static Optional<SentFile> in(String text) {
        if (!text.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int end = text.indexOf('\n');
        String first = end < 0 ? text : text.substring(0, end);
        String[] f = first.substring(PREFIX.length()).split(" ", 3);
        if (f.length < 3 || !f[0].startsWith("code=") || !f[1].startsWith("size=") || !f[2].startsWith("name=")) {
            return Optional.empty();
        }
        try {
            return Optional.of(new SentFile(f[0].substring(5), Long.parseLong(f[1].substring(5)), f[2].substring(5)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The note after a file reference: the text without its first line. */
    public static String note(String text) {
        int end = text.indexOf('\n');
        return end < 0 ? "" : text.substring(end + 1);
    }
}
