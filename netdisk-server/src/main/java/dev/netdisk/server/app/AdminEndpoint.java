package dev.netdisk.server.app;

import dev.netdisk.server.cluster.ClusterPresence;
import dev.netdisk.server.command.CommandRegistry;
import dev.netdisk.server.ops.AdminSocket;
import dev.netdisk.server.ops.ServerStats;
import dev.netdisk.server.session.Session;
import dev.netdisk.server.store.Database;
import dev.netdisk.server.store.Dialect;
import dev.netdisk.server.tls.ServerTls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What a running server answers on its admin socket ({@link AdminSocket}, {@code DATA_DIR/admin.sock}):
 * {@code STATS} for {@code netdisk-server status}, {@code DISCONNECT NAME [WHY]} for {@code user
 * disable} and {@code user passwd}, {@code RELOAD} for {@code reload}.
 */
final class AdminEndpoint {

    private static final System.Logger LOG = System.getLogger(AdminEndpoint.class.getName());

    private final CommandRegistry.Parts parts;
    private final Database database;
    private final ServerStats stats;
    /** Null when TLS is switched off. */
    private final ServerTls tls;
    private final InetSocketAddress address;
    private final Supplier<String> reloadTls;

    AdminEndpoint(CommandRegistry.Parts parts, Database database, ServerStats stats, ServerTls tls,
                  InetSocketAddress address, Supplier<String> reloadTls) {
        this.parts = parts;
        this.database = database;
        this.stats = stats;
        this.tls = tls;
        this.address = address;
        this.reloadTls = reloadTls;
    }

    /**
     * Opens the admin socket in the data directory and answers it on a thread of its own.
     *
     * @throws IOException when the socket file cannot be made
     */
    AdminSocket open() throws IOException {
        return AdminSocket.start(parts.config().dataDir(), this::snapshot, this::disconnect, reloadTls);
    }

    /** The {@code key=value} lines of {@code status}. */
    private Map<String, String> snapshot() {
        String listening = (address.getAddress().isAnyLocalAddress() ? "0.0.0.0" : address.getAddress().getHostAddress())
                + ":" + address.getPort();
        Map<String, String> snapshot = stats.snapshot(parts.presence().onlineUsers());
        snapshot.put("listening", listening);
        snapshot.put("data_dir", parts.config().dataDir().toAbsolutePath().toString());
        snapshot.put("database", database.dialect().displayName() + " " + database.description());
        snapshot.put("database_retries", Long.toString(database.retries()));
        if (database.dialect() == Dialect.POSTGRESQL) {
            snapshot.put("cluster_servers", clusterServers());
        }
        if (tls != null) {
            snapshot.put("tls_fingerprint", tls.fingerprint());
            snapshot.put("tls_not_after", tls.notAfter().toString());
            snapshot.put("tls_cert_file", tls.certFile().toAbsolutePath().toString());
        } else {
            snapshot.put("tls", "off");
        }
        return snapshot;
    }

    /** The servers running on this database now, for {@code status}: {@code N (NAME, ...)}. */
    private String clusterServers() {
        try {
            List<String> live = ClusterPresence.liveServers(database, Clock.systemUTC());
            return live.size() + " (" + String.join(", ", live) + ")";
        } catch (SQLException e) {
            return "unknown: " + e.getMessage();
        }
    }

    /**
     * Ends every connection logged in as {@code name} with {@code 421}, for {@code netdisk-server
     * user disable} and {@code user passwd} (through the admin socket), and revokes every ticket of
     * the user: unused ones are refused, running transfers stopped.
     *
     * @return how many connections were told to close
     */
    private int disconnect(String request) {
        String[] words = request.strip().split(" +");
        String name = words[0].toLowerCase(Locale.ROOT);
        AdminSocket.Why why = AdminSocket.Why.named(words.length > 1 ? words[1] : "");
        List<Session> sessions = parts.presence().sessionsNamed(name);
        sessions.forEach(s -> s.disconnect(why.text()));
        // Tickets live beyond their connection: every one of the user's goes, running or not.
        parts.tickets().revocations().revokeUser(name, why.text());
        // And those issued by the other servers, or by this one before a restart.
        parts.tickets().revokeUser(name, why.text());
        if (!sessions.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, () -> "disconnected " + sessions.size() + " session(s) of " + name);
        }
        return sessions.size();
    }
}
