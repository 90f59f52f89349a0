package dev.netdisk.server.app;

import dev.netdisk.server.cluster.ClusterEvent.Revocation;
import dev.netdisk.server.cluster.ClusterEvent.Scope;
import dev.netdisk.server.session.Presence;
import dev.netdisk.server.session.Revocations;
import dev.netdisk.server.session.Session;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * What this server does with a revocation made on another server on the same database
 * (docs/PROTOCOL.md section 6, "Revocation"): for a user disabled or given a new password by the
 * administrator ({@link Scope#USER}), or who changed their password and ended their other sessions
 * ({@link Scope#SESSIONS}), it closes the user's connections here with {@code 421 WHY} and revokes
 * what they were issued; for a link or a share, the tickets issued or running here under it.
 *
 * <p>Called on the event bus's thread; the revoking runs on a worker, as it may write the
 * tickets' rows.
 */
final class RemoteRevocations implements Consumer<Revocation> {

    private static final System.Logger LOG = System.getLogger(RemoteRevocations.class.getName());

    private final Presence presence;
    private final Revocations revocations;
    private final Executor workers;

    RemoteRevocations(Presence presence, Revocations revocations, Executor workers) {
        this.presence = presence;
        this.revocations = revocations;
        this.workers = workers;
    }

    @Override
    public void accept(Revocation r) {
        try {
            workers.execute(() -> apply(r));
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
