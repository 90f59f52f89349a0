package dev.netdisk.cli.client;

/**
 * One share ({@code SHARE LIST}): given by you, or visible to you under {@code /shared}.
 *
 * @param outgoing true for a share you gave, false for one you received
 * @param user     the recipient (outgoing) or the owner (incoming)
 * @param path     your path (outgoing) or the path under {@code /shared} (incoming)
 */
public record Share(boolean outgoing, String user, String path) {

    /** Parses {@code out RECIPIENT PATH} or {@code in OWNER PATH}. */
    static Share parse(String line) {
        String[] f = line.split(" ", 3);
        if (f.length < 3 || !(f[0].equals("out") || f[0].equals("in"))) {
            throw new IllegalArgumentException("malformed share line: " + line);
        }
        return new Share(f[0].equals("out"), f[1], f[2]);
    }

    /**
     * A link to a file ({@code SHARE LINK}, {@code SHARE LINKS}).
     *
     * @param code    the code any logged-in user can {@link Sharing#fetch} with
     * @param expires when it stops working, or {@code null} for never
     * @param path    the linked file
     */
    public record Link(String code, java.time.Instant expires, String path) {

        /** Parses {@code CODE EXPIRES PATH}. */
        static Link parse(String line) {
            String[] f = line.split(" ", 3);
            if (f.length < 3) {
                throw new IllegalArgumentException("malformed link line: " + line);
            }
            return new Link(f[0], expires(f[1]), f[2]);
        }

        static java.time.Instant expires(String text) {
            return text == null || text.equals("never") ? null : java.time.Instant.parse(text);
        }
    }
}
