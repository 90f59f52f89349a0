package dev.netdisk.server.store;

import dev.netdisk.server.auth.PasswordHasher;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Accounts and session tokens.
 *
 * <p>A session token is 32 random bytes, given to the client as 64 hex digits and stored only as
 * its SHA-256, so that a copy of the database resumes no session.
 *
 * <p>Thread-safe; blocking (JDBC, password hashing): never call from the selector thread.
 */
public final class UserStore {

    /** The user-name rule of {@code docs/PROTOCOL.md} section 4. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,31}");

    /** Names that may not be registered: {@code LOGIN TOKEN} would be ambiguous. */
    private static final java.util.Set<String> RESERVED = java.util.Set.of("token");

    /**
     * A session handed out by {@link #login}.
     *
     * @param token     the token the client keeps, 64 hex digits
     * @param tokenHash its SHA-256, which is what is stored
     * @param expiresAt when it stops being valid
     */
    public record Session(User user, String token, byte[] tokenHash, Instant expiresAt) {
    }

    private final Database db;
    private final FileTree tree;
    private final PasswordHasher hasher;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public UserStore(Database db, FileTree tree, PasswordHasher hasher, Clock clock) {
        this.db = db;
        this.tree = tree;
        this.hasher = hasher;
        this.clock = clock;
    }

    /** The canonical (lower-case) form of a user name, or empty when it breaks the rule or is reserved. */
    public static Optional<String> canonicalName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return NAME.matcher(lower).matches() && !RESERVED.contains(lower) ? Optional.of(lower) : Optional.empty();
    }

    /**
     * Creates an account with an empty root directory.
     *
     * @param name     a canonical name (see {@link #canonicalName})
     * @return the new user, or empty when the name is taken
     */
    public Optional<User> register(String name, String password) throws SQLException {
        PasswordHasher.Hash hash = hasher.hash(password);
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO users (name, password_hash, password_salt, password_iterations, created_at)"
                            + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING RETURNING id")) {
                ps.setString(1, name);
                ps.setBytes(2, hash.hash());
                ps.setBytes(3, hash.salt());
                ps.setInt(4, hash.iterations());
                ps.setLong(5, clock.millis());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    long id = rs.getLong(1);
                    tree.createRoot(c, id);
                    return Optional.of(new User(id, name));
                }
            }
        });
    }

    /** The user called {@code name} (any case), if there is one and it is enabled. */
    public Optional<User> find(String name) throws SQLException {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, name FROM users WHERE name = ? AND disabled = 0")) {
                ps.setString(1, name.toLowerCase(Locale.ROOT));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new User(rs.getLong(1), rs.getString(2))) : Optional.empty();
                }
            }
        });
    }

    /**
     * Checks a password and, when it is right, opens a session valid for {@code ttl}. An unknown
     * user costs the same hashing time as a wrong password.
     *
     * @return the session, or empty for an unknown user or a wrong password alike
     * @throws DisabledException when the password is right but the administrator disabled the
     *                           account (only someone who knows the password learns that)
     */
    public Optional<Session> login(String name, String password, Duration ttl) throws SQLException, DisabledException {
        record Stored(User user, PasswordHasher.Hash hash, boolean disabled) {
        }
        Optional<Stored> stored = db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, name, password_hash, password_salt, password_iterations, disabled FROM users"
                            + " WHERE name = ?")) {
                ps.setString(1, name.toLowerCase(Locale.ROOT));
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new Stored(new User(rs.getLong(1), rs.getString(2)),
                            new PasswordHasher.Hash(rs.getBytes(3), rs.getBytes(4), rs.getInt(5)), rs.getInt(6) != 0));
                }
            }
        });
        if (stored.isEmpty()) {
            hasher.verifyNobody(password);
            return Optional.empty();
        }
        if (!hasher.verify(password, stored.get().hash())) {
            return Optional.empty();
        }
        if (stored.get().disabled()) {
            throw new DisabledException(stored.get().user().name());
        }
        return Optional.of(openSession(stored.get().user(), ttl));
    }

    /** A right password for an account the administrator disabled ({@code netdisk-server user disable}). */
    public static final class DisabledException extends Exception {
        private static final long serialVersionUID = 1L;

        DisabledException(String user) {
            super("account " + user + " disabled by the administrator");
        }
    }

    /**
     * Changes {@code user}'s password when {@code oldPassword} is right. With {@code endOtherSessions},
     * every saved session of the user but the one whose token hash is {@code currentTokenHash} ends
     * (whoever knew the old password loses the logins it gave them).
     *
     * @return false when {@code oldPassword} is wrong (nothing changed)
     */
    public boolean changePassword(User user, String oldPassword, String newPassword, boolean endOtherSessions,
                                  byte[] currentTokenHash) throws SQLException {
        Optional<PasswordHasher.Hash> stored = db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT password_hash, password_salt, password_iterations FROM users WHERE id = ? AND disabled = 0")) {
                ps.setLong(1, user.id());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new PasswordHasher.Hash(rs.getBytes(1), rs.getBytes(2), rs.getInt(3)))
                            : Optional.<PasswordHasher.Hash>empty();
                }
            }
        });
        if (stored.isEmpty() || !hasher.verify(oldPassword, stored.get())) {
            return false;
        }
        PasswordHasher.Hash hash = hasher.hash(newPassword);
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE users SET password_hash = ?, password_salt = ?,"
                    + " password_iterations = ? WHERE id = ?")) {
                ps.setBytes(1, hash.hash());
                ps.setBytes(2, hash.salt());
                ps.setInt(3, hash.iterations());
                ps.setLong(4, user.id());
                ps.executeUpdate();
            }
            if (endOtherSessions) {
                try (PreparedStatement ps = c.prepareStatement(
                        "DELETE FROM sessions WHERE user_id = ? AND token_hash IS DISTINCT FROM ?")) {
                    ps.setLong(1, user.id());
                    ps.setBytes(2, currentTokenHash);
                    ps.executeUpdate();
                }
            }
            return null;
        });
        return true;
    }

    /** The user of a valid, unexpired session token; empty for anything else. */
    public Optional<User> resume(String token) throws SQLException {
        if (token.length() != 64 || !token.chars().allMatch(ch -> Character.digit(ch, 16) >= 0)) {
            return Optional.empty();
        }
        byte[] hash = sha256(token.toLowerCase(Locale.ROOT));
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT u.id, u.name FROM sessions s JOIN users u ON u.id = s.user_id"
                            + " WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0")) {
                ps.setBytes(1, hash);
                ps.setLong(2, clock.millis());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new User(rs.getLong(1), rs.getString(2))) : Optional.empty();
                }
            }
        });
    }

    /**
     * Which of the saved sessions {@code tokenHashes} (SHA-256 of the tokens) still hold: not
     * revoked (nor swept after expiring), their user not disabled. One query per 500.
     *
     * @return the hashes that hold, in lower-case hex
     */
    public java.util.Set<String> liveTokens(List<byte[]> tokenHashes) throws SQLException {
        java.util.Set<String> live = new java.util.HashSet<>();
        for (int from = 0; from < tokenHashes.size(); from += 500) {
            List<byte[]> batch = tokenHashes.subList(from, Math.min(tokenHashes.size(), from + 500));
            String marks = String.join(",", java.util.Collections.nCopies(batch.size(), "?"));
            db.read(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT s.token_hash FROM sessions s"
                        + " JOIN users u ON u.id = s.user_id WHERE u.disabled = 0"
                        + " AND s.token_hash IN (" + marks + ")")) {
                    for (int i = 0; i < batch.size(); i++) {
                        ps.setBytes(i + 1, batch.get(i));
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            live.add(HexFormat.of().formatHex(rs.getBytes(1)));
                        }
                    }
                }
                return null;
            });
        }
        return live;
    }

    /** Revokes one session; unknown tokens are ignored. */
    public void revoke(byte[] tokenHash) throws SQLException {
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM sessions WHERE token_hash = ?")) {
                ps.setBytes(1, tokenHash);
                return ps.executeUpdate();
            }
        });
    }

    /** The SHA-256 of a token's text, as stored. */
    public static byte[] tokenHash(String token) {
        return sha256(token.toLowerCase(Locale.ROOT));
    }

    private Session openSession(User user, Duration ttl) throws SQLException {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String token = HexFormat.of().formatHex(raw);
        byte[] hash = sha256(token);
        long now = clock.millis();
        Instant expires = Instant.ofEpochMilli(now).plus(ttl);
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)")) {
                ps.setBytes(1, hash);
                ps.setLong(2, user.id());
                ps.setLong(3, now);
                ps.setLong(4, expires.toEpochMilli());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM sessions WHERE expires_at <= ?")) {
                ps.setLong(1, now);
                ps.executeUpdate();
            }
            return null;
        });
        return new Session(user, token, hash, expires);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java SE platform", e);
        }
    }

    /** Up to {@code limit} enabled user names starting with {@code prefix}, by name. */
    public List<String> searchUsers(String prefix, int limit) throws SQLException {
        String escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT name FROM users WHERE name LIKE ? ESCAPE '\\' AND disabled = 0 ORDER BY name LIMIT ?")) {
                ps.setString(1, escaped + "%");
                ps.setInt(2, limit);
                List<String> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
                return out;
            }
        });
    }
}
