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
}
