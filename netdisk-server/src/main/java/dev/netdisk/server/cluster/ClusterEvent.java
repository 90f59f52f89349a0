package dev.netdisk.server.cluster;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One event between servers: a pointer into the database, which stays the source of truth. A chat
 * message is its id and its recipients' ids (the receiving server reads the message itself); a
 * presence change is the user's id and name; a read marker that moved is the user's id, the
 * conversation's name and the message id the marker is at now (what the user's connections are told;
 * the marker itself stays in the database, for {@code UNREAD}).
 *
 * <p>As a {@code NOTIFY netdisk_events} payload (ASCII, one line, under {@link #MAX_PAYLOAD} bytes):
 * <pre>
 *   C ORIGIN MESSAGE_ID USER_ID[,USER_ID...]     a chat message stored, for these recipients
 *   + ORIGIN USER_ID NAME                        the user's first listening connection began
 *   - ORIGIN USER_ID NAME                        the user's last listening connection ended
 *   R ORIGIN SCOPE FIELD...                      a revocation ({@link Revocation}), each field URL-encoded
 *   N ORIGIN USER_ID LINE                        an event line for one user ({@code * FRIEND ACCEPTED bob})
 *   F ORIGIN USER_ID USER_ID                     a friendship between the two began or ended
 *   G ORIGIN GROUP_ID members                    a group's members, roles or name changed
 *   M ORIGIN USER_ID MARKER CONVERSATION         the user's read marker of CONVERSATION (a user name,
 *                                                or #group) moved to message MARKER
 * </pre>
 * {@code ORIGIN} is the sending server instance's id, so a server skips its own notifications
 * (PostgreSQL delivers them to the sender's LISTEN too). A message with more recipients than fit
 * is sent as several payloads ({@link #payloads}).
 *
 * @param kind      what happened
 * @param origin    the server instance that stored it
 * @param messageId the message's id ({@link Kind#CHAT}), the read marker ({@link Kind#READ}), the
 *                  group's id ({@link Kind#GROUP}); 0 otherwise
 * @param userIds   the recipients ({@link Kind#CHAT}), the two friends ({@link Kind#FRIENDS}), or the one
 *                  user whose presence or marker changed or who is told ({@link Kind#NOTICE})
 * @param name      the user's name ({@link Kind#ONLINE}, {@link Kind#OFFLINE}), the conversation
 *                  ({@link Kind#READ}: {@code bob} or {@code #team}), the event line ({@link Kind#NOTICE}); null otherwise
 * @param revocation what was revoked ({@link Kind#REVOKE}); null otherwise
 */
public record ClusterEvent(Kind kind, String origin, long messageId, long[] userIds, String name,
                           Revocation revocation) {

    /** What an event says. */
    public enum Kind {
        CHAT('C'), ONLINE('+'), OFFLINE('-'), READ('M'), REVOKE('R'), NOTICE('N'), FRIENDS('F'), GROUP('G'),
        /** Never sent: the bus's own word to its handler that it was cut off and may have missed events. */
        RESYNC('!');

        final char code;

        Kind(char code) {
            this.code = code;
        }
    }

    /**
     * A revocation made on one server that every other applies to what it runs
     * ({@link dev.netdisk.server.session.Revocations}): the connections of a user it ends, and the
     * tickets and transfers issued under what was revoked.
     *
     * @param scope   what {@code subject} names
     * @param subject the user's name ({@link Scope#USER}, {@link Scope#SESSIONS}, the recipient of
     *                {@link Scope#SHARE}) or the link's code ({@link Scope#LINK})
     * @param path    the recipient's view of the share, {@code /shared/OWNER[/NAME]} ({@link Scope#SHARE}); null otherwise
     * @param why     the reason, as the stopped connections are told it
     */
    public record Revocation(Scope scope, String subject, String path, String why) {

        public Revocation {
            Objects.requireNonNull(scope);
            Objects.requireNonNull(subject);
            Objects.requireNonNull(why);
            if ((scope == Scope.SHARE) != (path != null)) {
                throw new IllegalArgumentException("a path belongs to a share's revocation, and only to it");
            }
        }
    }

    /** What a {@link Revocation} ends. */
    public enum Scope {
        /** Everything of a user: their connections, tickets and transfers ({@code user disable}, {@code user passwd}). */
        USER('U'),
        /** A user's connections and the tickets they were issued (a password change ending the other sessions). */
        SESSIONS('P'),
        /** The tickets fetched through a share link ({@code UNSHARE LINK}). */
        LINK('L'),
        /** A recipient's tickets under a share ({@code UNSHARE}, an ended friendship). */
        SHARE('S');

        final char code;

        Scope(char code) {
            this.code = code;
        }
    }

    /** PostgreSQL's limit on a NOTIFY payload is 8000 bytes; a margin below it. */
    public static final int MAX_PAYLOAD = 7_900;

    /** A chat message {@code messageId} stored on {@code origin} for {@code recipients}. */
    public static ClusterEvent chat(String origin, long messageId, long[] recipients) {
        return new ClusterEvent(Kind.CHAT, origin, messageId, recipients, null, null);
    }

    /** User {@code userId} ({@code name}) came online or went offline, as {@code origin} saw it. */
    public static ClusterEvent presence(Kind kind, String origin, long userId, String name) {
        return new ClusterEvent(kind, origin, 0, new long[] {userId}, name, null);
    }

    /** The event line {@code line} ({@code * GROUP INVITED #team alice}) for user {@code userId}'s listening connections. */
    public static ClusterEvent notice(String origin, long userId, String line) {
        if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("an event is one line: " + line);
        }
        return new ClusterEvent(Kind.NOTICE, origin, 0, new long[] {userId}, line, null);
    }

    /** The friendship of users {@code a} and {@code b} began or ended: their friend lists changed. */
    public static ClusterEvent friends(String origin, long a, long b) {
        return new ClusterEvent(Kind.FRIENDS, origin, 0, new long[] {a, b}, null, null);
    }

    /** The members (or roles, or name) of group {@code groupId} changed. */
    public static ClusterEvent group(String origin, long groupId) {
        return new ClusterEvent(Kind.GROUP, origin, groupId, new long[0], null, null);
    }

    /** The bus's word to its own handler that events may have been missed ({@link Kind#RESYNC}). */
    public static ClusterEvent resync(String origin) {
        return new ClusterEvent(Kind.RESYNC, origin, 0, new long[0], null, null);
    }

    /** {@code revocation}, made on {@code origin}. */
    public static ClusterEvent revoke(String origin, Revocation revocation) {
        return new ClusterEvent(Kind.REVOKE, origin, 0, new long[0], null, revocation);
    }

    /**
     * User {@code userId}'s read marker of {@code conversation} ({@code bob}, {@code #team}: no
     * spaces) moved to message {@code marker}, on {@code origin}.
     */
    public static ClusterEvent read(String origin, long userId, String conversation, long marker) {
        return new ClusterEvent(Kind.READ, origin, marker, new long[] {userId}, conversation, null);
    }

    /** The one user of a presence or read-marker event. */
    public long userId() {
        return userIds[0];
    }

    /** This event as one or more NOTIFY payloads, each under {@link #MAX_PAYLOAD} bytes. */
    public List<String> payloads() {
        if (kind == Kind.RESYNC) {
            throw new IllegalStateException("a resync is the bus's word to its handler, never sent");
        }
        if (kind == Kind.REVOKE) {
            return List.of(revocationPayload());
        }
        if (kind == Kind.READ) {
            return List.of(kind.code + " " + origin + " " + userIds[0] + " " + messageId + " " + name);
        }
        if (kind == Kind.FRIENDS) {
            return List.of("F " + origin + " " + userIds[0] + " " + userIds[1]);
        }
        if (kind == Kind.GROUP) {
            return List.of("G " + origin + " " + messageId + " members");
        }
        if (kind != Kind.CHAT) {
            return List.of(kind.code + " " + origin + " " + userIds[0] + " " + name);
        }
        List<String> out = new ArrayList<>(1);
        String head = "C " + origin + " " + messageId + " ";
        StringBuilder sb = new StringBuilder(head);
        boolean empty = true;
        for (long id : userIds) {
            String s = Long.toString(id);
            if (!empty && sb.length() + 1 + s.length() > MAX_PAYLOAD) {
                out.add(sb.toString());
                sb.setLength(0);
                sb.append(head);
                empty = true;
            }
            if (!empty) {
                sb.append(',');
            }
            sb.append(s);
            empty = false;
        }
        out.add(sb.toString());
        return out;
    }

    /**
     * A share's path can be as long as a path may be: past the limit, the revocation is widened to
     * the recipient's whole view of the owner's shares ({@code /shared/OWNER}), which stops more
     * than was revoked but never less.
     */
    private String revocationPayload() {
        Revocation r = revocation;
        String head = "R " + origin + " " + r.scope().code + " " + encode(r.subject()) + " ";
        String why = encode(r.why().length() > 200 ? r.why().substring(0, 200) : r.why());
        if (r.scope() != Scope.SHARE) {
            return head + why;
        }
        String full = head + encode(r.path()) + " " + why;
        if (full.length() <= MAX_PAYLOAD) {
            return full;
        }
        String[] parts = r.path().split("/", 4); // "", "shared", OWNER, rest
        return head + encode("/" + parts[1] + "/" + parts[2]) + " " + why;
    }

    private static String encode(String field) {
        return URLEncoder.encode(field, StandardCharsets.UTF_8);
    }

    private static ClusterEvent parseRevocation(String payload) {
        String[] f = payload.split(" ", -1);
        if (f.length < 5 || f[2].length() != 1) {
            throw new IllegalArgumentException("not a netdisk revocation: " + payload);
        }
        Scope scope = null;
        for (Scope s : Scope.values()) {
            if (s.code == f[2].charAt(0)) {
                scope = s;
            }
        }
        if (scope == null || f.length != (scope == Scope.SHARE ? 6 : 5)) {
            throw new IllegalArgumentException("not a netdisk revocation: " + payload);
        }
        String subject = URLDecoder.decode(f[3], StandardCharsets.UTF_8);
        String path = scope == Scope.SHARE ? URLDecoder.decode(f[4], StandardCharsets.UTF_8) : null;
        String why = URLDecoder.decode(f[f.length - 1], StandardCharsets.UTF_8);
        if (subject.isEmpty() || (path != null && !path.startsWith("/shared/"))) {
            throw new IllegalArgumentException("not a netdisk revocation: " + payload);
        }
        return revoke(f[1], new Revocation(scope, subject, path, why));
    }

    /**
     * The event of one payload.
     *
     * @throws IllegalArgumentException when it is not one {@link #payloads} makes
     */
    public static ClusterEvent parse(String payload) {
        if (payload.startsWith("R ")) {
            return parseRevocation(payload);
        }
        String[] f = payload.split(" ", 4);
        if (f.length != 4 || f[0].length() != 1) {
            throw new IllegalArgumentException("not a netdisk event: " + payload);
        }
        try {
            switch (f[0].charAt(0)) {
                case 'C': {
                    String[] ids = f[3].split(",");
                    long[] recipients = new long[ids.length];
                    for (int i = 0; i < ids.length; i++) {
                        recipients[i] = Long.parseLong(ids[i]);
                    }
                    return chat(f[1], Long.parseLong(f[2]), recipients);
                }
                case '+':
                    return presence(Kind.ONLINE, f[1], Long.parseLong(f[2]), f[3]);
                case '-':
                    return presence(Kind.OFFLINE, f[1], Long.parseLong(f[2]), f[3]);
                case 'N':
                    return notice(f[1], Long.parseLong(f[2]), f[3]);
                case 'F':
                    return friends(f[1], Long.parseLong(f[2]), Long.parseLong(f[3]));
                case 'G':
                    if (!f[3].equals("members")) {
                        throw new IllegalArgumentException("not a netdisk event: " + payload);
                    }
                    return group(f[1], Long.parseLong(f[2]));
                case 'M': {
                    String[] markerAndName = f[3].split(" ", 2);
                    if (markerAndName.length != 2 || markerAndName[1].isEmpty() || markerAndName[1].contains(" ")) {
                        throw new IllegalArgumentException("not a netdisk event: " + payload);
                    }
                    return read(f[1], Long.parseLong(f[2]), markerAndName[1], Long.parseLong(markerAndName[0]));
                }
                default:
                    throw new IllegalArgumentException("unknown netdisk event kind: " + payload);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a netdisk event: " + payload, e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClusterEvent e && kind == e.kind && origin.equals(e.origin) && messageId == e.messageId
                && Arrays.equals(userIds, e.userIds) && Objects.equals(name, e.name)
                && Objects.equals(revocation, e.revocation);
    }

    @Override
    public int hashCode() {
        return (kind.hashCode() * 31 + Long.hashCode(messageId)) * 31 + Arrays.hashCode(userIds);
    }

    @Override
    public String toString() {
        return kind == Kind.RESYNC ? "! " + origin : payloads().get(0);
    }
}
