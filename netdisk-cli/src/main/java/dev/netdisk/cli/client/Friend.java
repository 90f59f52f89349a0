package dev.netdisk.cli.client;

/**
 * One line of {@code FRIEND LIST}: a friend, or a pending friend request either way.
 *
 * @param name     the other user
 * @param relation friend, or which way the request goes
 * @param online   for a friend, whether they are logged in now; {@code false} for requests
 */
public record Friend(String name, Relation relation, boolean online) {

    /** How the other user relates to you. */
    public enum Relation { FRIEND, REQUEST_FROM, REQUEST_TO }

    /** Parses {@code friend NAME online|offline}, {@code request-from NAME} or {@code request-to NAME}. */
    static Friend parse(String line) {
        String[] f = line.split(" ");
        if (f.length >= 2) {
            switch (f[0]) {
                case "friend":
                    return new Friend(f[1], Relation.FRIEND, f.length > 2 && f[2].equals("online"));
                case "request-from":
                    return new Friend(f[1], Relation.REQUEST_FROM, false);
                case "request-to":
                    return new Friend(f[1], Relation.REQUEST_TO, false);
                default:
                    break;
            }
        }
        throw new IllegalArgumentException("malformed friend line: " + line);
    }
}
