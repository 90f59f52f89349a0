package dev.netdisk.server.store;

import dev.netdisk.protocol.RemotePath;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Links to files: a random code that any logged-in user can {@code FETCH} until it expires or is
 * revoked. Trashing a linked file ends its links.
 *
 * <p>Thread-safe; blocking (JDBC): never call from the selector thread.
 */
public final class ShareLinks {

    /** Link codes: 16 characters of base32 (RFC 4648 alphabet, lower case) = 80 random bits. */
    public static final int CODE_LENGTH = 16;

    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * A link.
     *
     * @param code      the code
     * @param expiresAt when it stops working; empty for never
     * @param path      the owner's current path of the linked file
     */
    public record Link(String code, Optional<Instant> expiresAt, String path) {
    }

    private final Database db;
    private final Clock clock;

    public ShareLinks(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /**
     * Creates a link to the file at {@code path} of {@code ownerId}.
     *
     * @param expiresAt when the link stops working; empty for never
     * @return the link
     * @throws NoSuchFileException  nothing is at {@code path}
     * @throws IsDirectoryException a directory is there (links are for files)
     */
    public Link link(long ownerId, RemotePath path, Optional<Instant> expiresAt) throws SQLException,
            FileSystemException {
        FileTree.checkWritable(path);
        String code = newCode();
        return Tx.run(db, c -> {
            Node node = StoreSql.find(c, ownerId, path).orElseThrow(() -> new NoSuchFileException(path.toString()));
            if (node.directory()) {
                throw new IsDirectoryException(path.toString());
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO share_links (code, owner_id, node_id, created_at,"
                    + " expires_at) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, code);
                ps.setLong(2, ownerId);
                ps.setLong(3, node.id());
                ps.setLong(4, clock.millis());
                if (expiresAt.isPresent()) {
                    ps.setLong(5, expiresAt.get().toEpochMilli());
                } else {
                    ps.setNull(5, java.sql.Types.INTEGER);
                }
                ps.executeUpdate();
            }
            return new Link(code, expiresAt, path.toString());
        });
    }

    /** {@code ownerId}'s links, expired ones included (until revoked), oldest first. */
    public List<Link> links(long ownerId) throws SQLException {
        return db.read(c -> {
            List<Link> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT code, expires_at, node_id FROM share_links"
                    + " WHERE owner_id = ? ORDER BY created_at, code")) {
                ps.setLong(1, ownerId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long expires = rs.getLong(2);
                        Optional<Instant> at = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(expires));
                        out.add(new Link(rs.getString(1), at, StoreSql.pathOf(c, rs.getLong(3))));
                    }
                }
            }
            return out;
        });
    }

    /** Revokes {@code ownerId}'s link {@code code}; false when they have no such link. */
    public boolean revoke(long ownerId, String code) throws SQLException {
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM share_links WHERE owner_id = ? AND code = ?")) {
                ps.setLong(1, ownerId);
                ps.setString(2, code.toLowerCase(Locale.ROOT));
                return ps.executeUpdate() > 0;
            }
        });
    }

    /** What a link resolves to now. */
    public sealed interface Fetch {
        /** The linked file. */
        record Found(Node node) implements Fetch {
        }

        /** No such link, or revoked, or its file was trashed. */
        record Unknown() implements Fetch {
        }

        /** The link expired at {@code at}. */
        record Expired(Instant at) implements Fetch {
        }
    }

    /** The file behind link {@code code}. */
    public Fetch fetch(String code) throws SQLException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT l.expires_at, " + StoreSql.prefixed("n")
                    + " FROM share_links l JOIN nodes n ON n.id = l.node_id WHERE l.code = ?")) {
                ps.setString(1, code.toLowerCase(Locale.ROOT));
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return new Fetch.Unknown();
                    }
                    long expires = rs.getLong(1);
                    if (!rs.wasNull() && expires <= clock.millis()) {
                        return new Fetch.Expired(Instant.ofEpochMilli(expires));
                    }
                    // The node columns start at the second column.
                    return new Fetch.Found(new Node(rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getInt(5) != 0,
                            rs.getLong(6), rs.getString(7), rs.getString(8), rs.getLong(9)));
                }
            }
        });
    }

    /** A new random link code. */
    static String newCode() {
        StringBuilder out = new StringBuilder(CODE_LENGTH);
        for (int i = 0; i < CODE_LENGTH; i++) {
            out.append(BASE32[RANDOM.nextInt(32)]);
        }
        return out.toString();
    }
}
