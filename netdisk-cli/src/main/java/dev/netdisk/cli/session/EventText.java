package dev.netdisk.cli.session;

import dev.netdisk.cli.client.ChatMessage;
import dev.netdisk.cli.client.SentFile;

/** One-line renderings of server events and chat messages for people. Stateless. */
public final class EventText {

    private EventText() {
    }

    /** {@code [13:50:00 +01:00] bob: lunch?}, or {@code [13:50:00 +01:00] #team bob: lunch?} for a group. */
    public static String chat(ChatMessage m, Times times) {
        return "[" + times.time(m.time()) + "] " + (m.isGroup() ? m.to() + " " : "") + m.from() + ": " + body(m);
    }

    /** The text of a message for people: a sent file as the command that fetches it, then its note. */
    static String body(ChatMessage m) {
        return m.file().map(f -> {
            String note = SentFile.note(m.text());
            return "sent " + f.name() + " (" + f.size() + " bytes): netdisk fetch " + f.code()
                    + (note.isEmpty() ? "" : "\n" + note);
        }).map(EventText::indented).orElseGet(() -> indented(m.text()));
    }

    /** A message of several lines with its later lines indented, so they cannot pass for events or commands. */
    static String indented(String text) {
        return text.indexOf('\n') < 0 ? text : text.replace("\n", "\n    ");
    }

    /** A {@code HISTORY} line: {@code #17 2026-11-21 13:50:00 +01:00 alice -> bob: lunch?}. */
    public static String history(ChatMessage m, Times times) {
        return "#" + m.id() + " " + times.dateTime(m.time()) + " " + m.from() + " -> " + m.to() + ": " + body(m);
    }

    public static String presence(String user, boolean online) {
        return "* " + user + (online ? " is online" : " went offline");
    }

    /**
     * Friend and group events in plain words, with the command that answers them where there is
     * one (PROTOCOL.md section 7 lists the events; {@code event} is the text after {@code "* "}).
     * An event this client does not know is shown as the server sent it.
     */
    public static String other(String event) {
        String[] f = event.split(" ");
        String plain = f.length >= 3 && f[0].equals("FRIEND") ? friend(f[1], f[2])
                : f.length >= 4 && f[0].equals("GROUP") ? group(f) : null;
        return "* " + (plain != null ? plain : "the server says: " + event);
    }

    private static String friend(String what, String user) {
        return switch (what) {
            case "REQUEST" -> user + " asks to be your friend ('friend accept " + user + "' or 'friend decline "
                    + user + "')";
            case "ACCEPTED" -> user + " is now your friend";
            case "DECLINED" -> user + " declined your friend request";
            case "REMOVED" -> user + " ended your friendship";
            default -> null;
        };
    }

    /** {@code GROUP <what> #group ... <by>}: the one who acted is last. */
    private static String group(String[] f) {
        String g = f[2];
        String by = f[f.length - 1];
        return switch (f[1]) {
            case "INVITED" -> by + " invited you to " + g + " ('group join " + g + "' or 'group decline " + g + "')";
            case "KICKED" -> by + " removed you from " + g;
            case "BANNED" -> by + " banned you from " + g;
            case "DECLINED" -> by + " declined your invitation to " + g;
            case "UNINVITED" -> by + " withdrew your invitation to " + g;
            case "DELETED" -> by + " deleted " + g + " with its history";
            case "RENAMED" -> f.length >= 5 ? by + " renamed " + g + " to " + f[3] : null;
            case "ROLE" -> f.length >= 5 ? switch (f[3]) {
                case "owner" -> by + " handed " + g + " over to you: you own it now";
                case "admin" -> by + " made you an admin of " + g;
                case "member" -> by + " made you a plain member of " + g;
                default -> null;
            } : null;
            default -> null;
        };
    }
}
