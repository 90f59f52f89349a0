package dev.netdisk.cli.client;

import dev.netdisk.protocol.ChatText;
import java.time.Instant;

/**
 * A stored chat message: pushed as the event {@code * CHAT <id> <timestamp> <from> <to> <message>}
 * and listed by {@code HISTORY} in the same shape (PROTOCOL.md section 7).
 *
 * @param id   the server's message id, growing with time
 * @param time when the server accepted the message
 * @param from the sender's user name
 * @param to   the recipient's user name, or {@code #group} for a group message
 * @param text the message as sent, unescaped ({@link ChatText}): it may hold line breaks
 */
public record ChatMessage(long id, Instant time, String from, String to, String text) {

    /** The file this message sends, if it is one ({@link SentFile}). */
    public java.util.Optional<SentFile> file() {
        return SentFile.in(text);
    }

    /** True for a message sent to a group. */
    public boolean isGroup() {
        return to.startsWith("#");
    }

    /**
     * Parses {@code <id> <timestamp> <from> <to> <message>} (an event without {@code "* CHAT "}, or a
     * {@code HISTORY} line).
     *
     * @throws IllegalArgumentException if the text does not have that shape
     */
    static ChatMessage parse(String text) {
        String[] f = text.split(" ", 5);
        if (f.length < 4) {
            throw new IllegalArgumentException("malformed chat message: " + text);
        }
        try {
            return new ChatMessage(Long.parseLong(f[0]), Instant.parse(f[1]), f[2], f[3], f.length == 5 ? ChatText.unescape(f[4]) : "");
        } catch (NumberFormatException | java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("malformed chat message: " + text, e);
        }
    }
}
