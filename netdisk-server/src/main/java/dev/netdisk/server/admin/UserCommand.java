package dev.netdisk.server.admin;

import dev.netdisk.server.auth.PasswordHasher;
import dev.netdisk.server.config.ConfigException;
import dev.netdisk.server.ops.AdminSocket;
import dev.netdisk.server.ops.ExitCode;
import dev.netdisk.server.config.Values;
import dev.netdisk.server.auth.LoginThrottle;
import dev.netdisk.server.cluster.ClusterEvent;
import dev.netdisk.server.cluster.PgEventBus;
import dev.netdisk.server.store.Database;
import dev.netdisk.server.store.Dialect;
import dev.netdisk.server.store.TicketRows;
import dev.netdisk.server.store.LoginFailures;
import dev.netdisk.server.store.FileTree;
import dev.netdisk.server.store.PrivateFiles;
import dev.netdisk.server.store.UserStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code netdisk-server user ...}: account administration on a data directory. Works while the
 * server runs: it opens the same SQLite database (WAL lets a second process read and write it;
 * writes wait for each other with the busy timeout). A change shows at the next command that reads
 * it: a disabled user's next {@code LOGIN} fails, and {@code disable} also asks a running server,
 * through its admin socket, to close the connections already logged in.
 */
@Command(name = "user", mixinStandardHelpOptions = true,
        description = "Manage accounts (works while the server runs).",
        subcommands = {UserCommand.Add.class, UserCommand.ListUsers.class, UserCommand.Passwd.class,
                UserCommand.Disable.class, UserCommand.Enable.class, UserCommand.Unlock.class, UserCommand.Quota.class,
                UserCommand.Sessions.class})
final class UserCommand implements java.util.concurrent.Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** {@code user} alone: say what is missing. */
    @Override
    public Integer call() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "missing subcommand: add, list, passwd, disable, enable, unlock, quota or sessions");
    }

    /** A user command: opens the database, resolves the user name. */
    abstract static class UserAdminCommand extends AdminCommand {

        Database open() throws Exception {
            return admin.openDatabase();
        }

        static String canonical(String name) throws AdminException {
            return UserStore.canonicalName(name).orElseThrow(() -> new AdminException("invalid user name: " + name
                    + " (1-32 of a-z 0-9 _ . -, starting with a letter or digit)"));
        }

        /** The id of {@code name}, enabled or not. */
        static long userId(Database db, String name) throws SQLException, AdminException {
            Long id = db.read(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT id FROM users WHERE name = ?")) {
                    ps.setString(1, name);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? rs.getLong(1) : null;
                    }
                }
            });
            if (id == null) {
                throw new AdminException("no such user: " + name);
            }
            return id;
        }

        /**
         * Closes {@code user}'s connections on the server running on this data directory, saying
         * {@code why}: {@code "; N connection(s) closed"}, or empty when no server runs there.
         */
        String disconnect(String user, AdminSocket.Why why) throws ConfigException {
            try {
                return "; " + AdminSocket.disconnect(admin.dataDir(), user, why) + " connection(s) closed";
            } catch (IOException e) {
                return ""; // no server running on this data directory: nobody to disconnect
            }
        }

        /**
         * On PostgreSQL, where other servers may run on the same database: marks every ticket of
         * {@code user} revoked (each server stops the transfers it runs on them within a lease
         * renewal) and tells every server, by a notification on their event bus, to close the
         * user's connections now. Returns {@code "; every server on the database told"}, or empty
         * on SQLite (one server, told through its admin socket by {@link #disconnect}).
         */
        static String revokeEverywhere(Database db, String user, AdminSocket.Why why) throws SQLException {
            if (db.dialect() != Dialect.POSTGRESQL) {
                return "";
            }
            new TicketRows(db).revokeUser(user, why.text());
            ClusterEvent event = ClusterEvent.revoke("admin",
                    new ClusterEvent.Revocation(ClusterEvent.Scope.USER, user, null, why.text()));
            db.transaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
                    ps.setString(1, PgEventBus.CHANNEL);
                    ps.setString(2, event.payloads().get(0));
                    ps.executeQuery().close();
                }
                return null;
            });
            return "; every server on the database told";
        }

        static int update(Database db, String sql, Object... params) throws SQLException {
            return db.transaction(c -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    for (int i = 0; i < params.length; i++) {
                        ps.setObject(i + 1, params[i]);
                    }
                    return ps.executeUpdate();
                }
            });
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Create an account (and the data directory, if new). The password comes from a prompt, --password-file or stdin.")
    static final class Add extends UserAdminCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--password-file", paramLabel = "FILE", description = "Read the password from FILE's first line ('-': stdin).")
        Path passwordFile;

        @Override
        int run(PrintWriter out) throws Exception {
            String user = canonical(name);
            String password = PasswordInput.read(passwordFile, user);
            Clock clock = Clock.systemUTC();
            Path dbFile = admin.dataDir().resolve("netdisk.db");
            if (admin.postgres()) {
                try (Database db = admin.openDatabase()) {
                    register(db, user, password, clock);
                }
            } else {
                if (!java.nio.file.Files.exists(dbFile)) {
                    // Accounts before the first start (a server with registration=closed); said
                    // aloud so that a mistyped --data-dir does not go unnoticed.
                    PrivateFiles.createDirectories(admin.dataDir());
                    err().println("netdisk-server user add: creating a new database " + dbFile.toAbsolutePath());
                }
                try (Database db = Database.open(dbFile, 1)) {
                    PrivateFiles.restrict(dbFile);
                    register(db, user, password, clock);
                }
            }
            out.println("user " + user + " added");
            return ExitCode.OK.code();
        }

        private void register(Database db, String user, String password, Clock clock) throws Exception {
            UserStore users = new UserStore(db, new FileTree(db, clock),
                    new PasswordHasher(admin.passwordIterations()), clock);
            if (users.register(user, password).isEmpty()) {
                throw new AdminException("user " + user + " already exists");
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List accounts: state, quota, files, bytes stored, active sessions.")
    static final class ListUsers extends UserAdminCommand {
        @Override
        int run(PrintWriter out) throws Exception {
            try (Database db = open()) {
                out.printf("%-20s %-8s %12s %8s %14s %8s  %s%n", "NAME", "STATE", "QUOTA", "FILES", "BYTES",
                        "SESSIONS", "CREATED");
                db.read(c -> {
                    try (PreparedStatement ps = c.prepareStatement(
                            "SELECT u.name, u.disabled, u.quota_bytes, u.created_at,"
                                    + " (SELECT COUNT(*) FROM nodes n WHERE n.owner_id = u.id AND n.is_dir = 0),"
                                    + " u.used_bytes,"
                                    + " (SELECT COUNT(*) FROM sessions s WHERE s.user_id = u.id AND s.expires_at > ?)"
                                    + " FROM users u ORDER BY u.name")) {
                        ps.setLong(1, System.currentTimeMillis());
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                long quota = rs.getLong(3);
                                String quotaText = rs.wasNull() ? "default" : Long.toString(quota);
                                out.printf("%-20s %-8s %12s %8d %14d %8d  %s%n", rs.getString(1),
                                        rs.getInt(2) != 0 ? "disabled" : "enabled", quotaText, rs.getLong(5),
                                        rs.getLong(6), rs.getLong(7), Instant.ofEpochMilli(rs.getLong(4)));
                            }
                        }
                    }
                    return null;
                });
            }
            return ExitCode.OK.code();
        }
    }

    @Command(name = "passwd", mixinStandardHelpOptions = true,
            description = "Set a new password (prompt, --password-file or stdin); ends the user's saved sessions, "
                    + "closes their connections and stops their transfers on a running server.")
    static final class Passwd extends UserAdminCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--password-file", paramLabel = "FILE", description = "Read the password from FILE's first line ('-': stdin).")
        Path passwordFile;

        @Override
        int run(PrintWriter out) throws Exception {
            String user = canonical(name);
            String told;
            try (Database db = open()) {
                long id = userId(db, user);
                String password = PasswordInput.read(passwordFile, user);
                PasswordHasher.Hash hash = new PasswordHasher(admin.passwordIterations()).hash(password);
                db.transaction(c -> {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE users SET password_hash = ?,"
                            + " password_salt = ?, password_iterations = ? WHERE id = ?")) {
                        ps.setBytes(1, hash.hash());
                        ps.setBytes(2, hash.salt());
                        ps.setInt(3, hash.iterations());
                        ps.setLong(4, id);
                        ps.executeUpdate();
                    }
                    // A new password means whoever had the old one loses their saved logins too.
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM sessions WHERE user_id = ?")) {
                        ps.setLong(1, id);
                        ps.executeUpdate();
                    }
                    return null;
                });
                told = revokeEverywhere(db, user, AdminSocket.Why.PASSWORD);
            }
            String live = disconnect(user, AdminSocket.Why.PASSWORD);
            out.println("password of " + user + " changed; saved sessions ended" + live + told);
            return ExitCode.OK.code();
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true,
            description = "Refuse the user's logins, end their saved sessions and close their connections "
                    + "on a running server; their files stay.")
    static final class Disable extends UserAdminCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        int run(PrintWriter out) throws Exception {
            String user = canonical(name);
            String told;
            try (Database db = open()) {
                long id = userId(db, user);
                update(db, "UPDATE users SET disabled = 1 WHERE id = ?", id);
                update(db, "DELETE FROM sessions WHERE user_id = ?", id);
                told = revokeEverywhere(db, user, AdminSocket.Why.DISABLED);
            }
            String live = disconnect(user, AdminSocket.Why.DISABLED);
            out.println("user " + user + " disabled" + live + told);
            return ExitCode.OK.code();
        }
    }

    @Command(name = "unlock", mixinStandardHelpOptions = true,
            description = "Clear the failed-login counts against the user (they live in the database, shared by every "
                    + "server on it), so no address is refused or slowed for that name.")
    static final class Unlock extends UserAdminCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        int run(PrintWriter out) throws Exception {
            String user = canonical(name);
            int cleared;
            try (Database db = open()) {
                userId(db, user);
                cleared = LoginThrottle.unlock(new LoginFailures(db), user);
            }
            out.println("user " + user + " unlocked (" + cleared + " failure count(s) cleared)");
            return ExitCode.OK.code();
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Allow a disabled user to log in again.")
    static final class Enable extends UserAdminCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        int run(PrintWriter out) throws Exception {
            String user = canonical(name);
            try (Database db = open()) {
                update(db, "UPDATE users SET disabled = 0 WHERE id = ?", userId(db, user));
            }
            out.println("user " + user + " enabled");
            return ExitCode.OK.code();
        }
    }

    @Command(name = "quota", mixinStandardHelpOptions = true,
            description = "Show or set a user's storage quota, trash included: BYTES (suffix K, M, G, T: binary units), or default (the server's default-quota-mib; also 'none').")
    static final class Quota extends UserAdminCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", arity = "0..1", paramLabel = "BYTES|default")
        String limit;

        @Override
        int run(PrintWriter out) throws Exception {
            String user = canonical(name);
            Long bytes = null;
            if (limit != null && !limit.equalsIgnoreCase("none") && !limit.equalsIgnoreCase("default")) {
                try {
                    bytes = Values.bytes(limit);
                } catch (IllegalArgumentException e) {
                    throw new AdminException("bad quota '" + limit + "': " + e.getMessage());
                }
            }
            try (Database db = open()) {
                long id = userId(db, user);
                if (limit != null) {
                    update(db, "UPDATE users SET quota_bytes = ? WHERE id = ?", bytes, id);
                }
                Long[] quotaAndUsed = db.read(c -> {
                    // used_bytes: the running total the triggers of V005__usage_totals.sql keep.
                    try (PreparedStatement ps = c.prepareStatement("SELECT quota_bytes, used_bytes FROM users WHERE id = ?")) {
                        ps.setLong(1, id);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            long q = rs.getLong(1);
                            return new Long[] {rs.wasNull() ? null : q, rs.getLong(2)};
                        }
                    }
                });
                out.println("user " + user + ": quota=" + (quotaAndUsed[0] == null
                        ? admin.defaultQuotaBytes() + " (the server's default)" : quotaAndUsed[0]) + " used=" + quotaAndUsed[1]);
            }
            return ExitCode.OK.code();
        }
    }

    @Command(name = "sessions", mixinStandardHelpOptions = true,
            description = "List saved login sessions (all users, or one); --revoke ends them. A session's id is the start of its token's SHA-256; the token itself is never stored.")
    static final class Sessions extends UserAdminCommand {
        @Parameters(arity = "0..1", paramLabel = "NAME")
        String name;

        @Option(names = "--revoke", description = "End the listed sessions (the user must log in again).")
        boolean revoke;

        @Override
        int run(PrintWriter out) throws Exception {
            String user = name == null ? null : canonical(name);
            if (revoke && user == null) {
                throw new AdminException("--revoke needs a user name");
            }
            try (Database db = open()) {
                Long id = user == null ? null : userId(db, user);
                long now = System.currentTimeMillis();
                out.printf("%-20s %-16s %-24s %s%n", "USER", "SESSION", "CREATED", "EXPIRES");
                int[] count = {0};
                db.read(c -> {
                    try (PreparedStatement ps = c.prepareStatement("SELECT u.name, s.token_hash, s.created_at, s.expires_at"
                            + " FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.expires_at > ?"
                            + " AND (CAST(? AS BIGINT) IS NULL OR u.id = ?) ORDER BY u.name, s.created_at")) {
                        ps.setLong(1, now);
                        // Typed: PostgreSQL cannot infer the type of a parameter that is only tested for NULL.
                        ps.setObject(2, id, java.sql.Types.BIGINT);
                        ps.setObject(3, id, java.sql.Types.BIGINT);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                count[0]++;
                                out.printf("%-20s %-16s %-24s %s%n", rs.getString(1),
                                        HexFormat.of().formatHex(rs.getBytes(2)).substring(0, 16).toLowerCase(Locale.ROOT),
                                        Instant.ofEpochMilli(rs.getLong(3)), Instant.ofEpochMilli(rs.getLong(4)));
                            }
                        }
                    }
                    return null;
                });
                if (revoke) {
                    int n = update(db, "DELETE FROM sessions WHERE user_id = ?", id);
                    out.println(n + " session(s) of " + user + " revoked");
                }
            }
            return ExitCode.OK.code();
        }
    }
}
