package dev.netdisk.server.app;

import dev.netdisk.server.cluster.ClusterEvent.Revocation;
import dev.netdisk.server.cluster.ClusterEvent.Scope;
import dev.netdisk.server.cluster.RevocationListener;
import dev.netdisk.server.session.Presence;
import dev.netdisk.server.session.Revocations;
import dev.netdisk.server.session.Session;
import dev.netdisk.server.store.UserStore;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * What this server does with a revocation made on another server on the same database
 * (docs/PROTOCOL.md section 6, "Revocation"): for a user disabled or given a new password by the
 * administrator ({@link Scope#USER}), or who changed their password and ended their other sessions
 * ({@link Scope#SESSIONS}), it closes the user's connections here with {@code 421 WHY} and revokes
 * what they were issued; for a link or a share, the tickets issued or running here under it.
 *
 * <p>Notifications are not kept: after its bus was cut off from the database, the server checks
 * its logged-in connections against the saved sessions ({@link #mayHaveMissed}) and closes those
 * whose login was revoked meanwhile; the transfers on revoked tickets are stopped through their
 * rows at the next lease renewal anyway.
 *
 * <p>Called on the event bus's thread; the work runs on a worker, as it reads and writes the
 * database.
 */
final class RemoteRevocations implements RevocationListener {

    /** What a connection whose login was revoked while this server could not hear it is told. */
    static final String MISSED = "login revoked (password changed, logged out or account disabled)";

    private static final System.Logger LOG = System.getLogger(RemoteRevocations.class.getName());

    private final Presence presence;
    private final Revocations revocations;
    private final UserStore users;
    private final Executor workers;

    RemoteRevocations(Presence presence, Revocations revocations, UserStore users, Executor workers) {
        this.presence = presence;
        this.users = users;
        this.revocations = revocations;
        this.workers = workers;
    }

    @Override
    public void revoked(Revocation r) {
        onWorker(() -> apply(r));
    }

    @Override
    public void mayHaveMissed() {
        onWorker(() -> {
            List<Session> sessions = presence.allSessions().stream().filter(s -> s.tokenHash() != null).toList();
            Set<String> live;
            try {
                live = users.liveTokens(sessions.stream().map(Session::tokenHash).toList());
            } catch (SQLException e) {
                LOG.log(System.Logger.Level.WARNING, "could not check the logins of " + sessions.size()
                        + " connection(s) after the event bus was cut off", e);
                return;
            }
            int closed = 0;
            for (Session s : sessions) {
                byte[] hash = s.tokenHash();
                if (hash != null && !live.contains(HexFormat.of().formatHex(hash))) {
                    s.disconnect(MISSED);
                    revocations.revokeSession(s, MISSED);
                    closed++;
                }
            }
            int n = closed;
            LOG.log(System.Logger.Level.INFO, () -> "after the event bus was cut off: checked " + sessions.size()
                    + " login(s), closed " + n + " revoked meanwhile");
        });
    }

    private void onWorker(Runnable work) {
        try {
            workers.execute(work);
        } catch (RejectedExecutionException stopping) {
            // the server is stopping: its connections close anyway
        }
    }

    private void apply(Revocation r) {
        int revoked = 0;
        List<Session> sessions = List.of();
        if (r.scope() == Scope.USER || r.scope() == Scope.SESSIONS) {
            sessions = presence.sessionsNamed(r.subject());
            for (Session s : sessions) {
                s.disconnect(r.why());
                revoked += revocations.revokeSession(s, r.why());
            }
        }
        revoked += revocations.apply(r);
        int closed = sessions.size();
        int tickets = revoked;
        if (closed + tickets > 0) {
            // A link's code is its secret: not in the log.
            String what = r.scope() == Scope.LINK ? "a share link" : r.scope().name().toLowerCase(java.util.Locale.ROOT)
                    + " " + r.subject();
            LOG.log(System.Logger.Level.INFO, () -> "another server revoked " + what + ": closed " + closed
                    + " connection(s), revoked " + tickets + " ticket(s)");
        }
    }
}
