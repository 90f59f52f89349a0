package dev.netdisk.cli.client;

import java.time.Instant;

/**
 * A chat message pushed by the server as the event {@code * CHAT <from> <timestamp> <message>}.
 *
 * @param from the sender's user name
 * @param time when the server accepted the message
 * @param text the message, as sent
 */
public record ChatMessage(String from, Instant time, String text) {

    /**
     * Parses the part of an event line after {@code "* CHAT "}.
     *
     * @throws IllegalArgumentException if it does not have that shape
     */
    static ChatMessage parse(String rest) {
        String[] f = rest.split(" ", 3);
        if (f.length < 2) {
            throw new IllegalArgumentException("malformed CHAT event: " + rest);
        }
        try {
            return new ChatMessage(f[0], Instant.parse(f[1]), f.length == 3 ? f[2] : "");
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("malformed CHAT event time: " + rest, e);
        }
    }
}
