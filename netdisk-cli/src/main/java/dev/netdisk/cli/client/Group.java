package dev.netdisk.cli.client;

import java.util.List;

/**
 * A chat group you belong to, as {@code GROUP LIST} describes it.
 *
 * @param name    the group name without {@code #}
 * @param owner   the owner's user name
 * @param members the number of members
 */
public record Group(String name, String owner, int members) {

    /** Parses {@code #NAME owner=NAME members=N}. */
    static Group parse(String line) {
        String[] f = line.split(" ");
        if (f.length < 3 || !f[0].startsWith("#") || !f[1].startsWith("owner=") || !f[2].startsWith("members=")) {
            throw new IllegalArgumentException("malformed group line: " + line);
        }
        return new Group(f[0].substring(1), f[1].substring(6), Integer.parseInt(f[2].substring(8)));
    }

    /**
     * A member of a group, as {@code GROUP MEMBERS} describes it.
     *
     * @param name   the member's user name
     * @param role   {@code owner}, {@code admin} or {@code member}
     * @param online whether they are online now (a listening connection)
     */
    public record Member(String name, String role, boolean online) {

        /** Whether they own the group. */
        public boolean owner() {
            return role.equals("owner");
        }

        /** Parses {@code NAME owner|admin|member online|offline}. */
        static Member parse(String line) {
            List<String> f = List.of(line.split(" "));
            if (f.size() < 3) {
                throw new IllegalArgumentException("malformed member line: " + line);
            }
            return new Member(f.get(0), f.get(1), f.get(2).equals("online"));
        }
    }

    /**
     * A pending invitation to a group, or a ban from it, as {@code GROUP INVITES} and {@code GROUP BANS}
     * list them (PROTOCOL.md section 7).
     *
     * @param group the group without {@code #} (empty in a group's own list)
     * @param user  who is invited or banned (empty in your own invitations: you)
     * @param by    who invited or banned them
     * @param at    when
     */
    public record Pending(String group, String user, String by, java.time.Instant at) {

        /** Parses {@code #GROUP|NAME invited-by|banned-by=NAME at=TIME}. */
        static Pending parse(String line) {
            String[] f = line.split(" ");
            if (f.length < 3 || f[1].indexOf('=') < 0 || !f[2].startsWith("at=")) {
                throw new IllegalArgumentException("malformed invitation or ban line: " + line);
            }
            String by = f[1].substring(f[1].indexOf('=') + 1);
            java.time.Instant at;
            try {
                at = java.time.Instant.parse(f[2].substring(3));
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("malformed invitation or ban line: " + line, e);
            }
            return f[0].startsWith("#") ? new Pending(f[0].substring(1), "", by, at) : new Pending("", f[0], by, at);
        }
    }
}
