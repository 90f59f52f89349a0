package dev.netdisk.server.session;

import dev.netdisk.protocol.RemotePath;
import dev.netdisk.server.cluster.ClusterEvent.Revocation;
import dev.netdisk.server.cluster.ClusterEvent.Scope;
import dev.netdisk.server.transfer.Ticket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * What each data ticket was issued under (a login session, a share link), so that revoking it
 * cancels the tickets at once and stops the transfers running on them: {@code LOGOUT}, a password
 * change, {@code user disable}, {@code user passwd}, {@code UNSHARE} and {@code UNSHARE LINK}
 * (docs/PROTOCOL.md section 6, "Revocation").
 *
 * <p>A ticket is <em>issued</em> (unused), then <em>running</em> once a data connection took it,
 * until its transfer ends. Revoking an issued ticket removes it from {@link
 * dev.netdisk.server.transfer.Tickets} with the reason (in the ticket's row, so {@code DATA} answers
 * {@code 425 ticket revoked: WHY} on any server); revoking a running one closes its data connection (an upload's bytes are kept for
 * resume, like any interrupted upload). A data connection that took a ticket just as it was revoked
 * is stopped when it reports itself running.
 *
 * <p>Several servers on one database: a ticket issued here may run on another server, and one
 * issued there may run here. Revoking a ticket marks its row whether it runs or not, and each
 * server stops what it runs on a revoked row at its next lease renewal
 * ({@link dev.netdisk.server.transfer.Tickets#renew}, every few seconds). A revocation by user,
 * link or share is also told to the other servers at once ({@code broadcast}), and they {@link
 * #apply} it to what was issued or runs there.
 *
 * <p>Thread-safe: one lock; every operation is a few map operations.
 */
public final class Revocations {

    /** How long a revoked ticket's entry is kept, so it is neither counted nor revoked again (its row keeps the reason). */
    private static final Duration REMEMBERED = Duration.ofMinutes(10);

    /** Under what a ticket was issued, and what stops its transfer once it runs. */
    private static final class Entry {
        final String id;
        final Ticket ticket;
        final Session session;
        final String linkCode;
        Consumer<String> stop;
        String revokedWhy;
        Instant forgetAt;

        Entry(String id, Ticket ticket, Session session, String linkCode) {
            this.id = id;
            this.ticket = ticket;
            this.session = session;
            this.linkCode = linkCode;
        }
    }

    private final Map<String, Entry> byTicket = new HashMap<>();
    private final BiConsumer<String, String> cancelTicket;
    private final Clock clock;
    private final Consumer<Revocation> broadcast;

    /**
     * @param cancelTicket marks a ticket's row (by id) revoked, with the reason, so it can no longer
     *                     be taken and its transfer, running on another server, is stopped there
     * @param broadcast    tells the other servers on the database of a revocation by user, link or
     *                     share (a no-op for a server alone on its database); may block briefly
     */
    public Revocations(BiConsumer<String, String> cancelTicket, Clock clock, Consumer<Revocation> broadcast) {
        this.cancelTicket = cancelTicket;
        this.clock = clock;
        this.broadcast = broadcast;
    }

    /** Records that {@code ticketId} was issued by {@code session}, through link {@code linkCode} (or null). */
    public synchronized void issued(String ticketId, Ticket ticket, Session session, String linkCode) {
        byTicket.put(ticketId, new Entry(ticketId, ticket, session, linkCode));
    }

    /**
     * A data connection here took {@code ticketId}, which another server (or this one before a
     * restart) issued: recorded without a session or link, so revoking the user or a share here
     * stops its transfer too. A no-op for a ticket issued here.
     */
    public synchronized void taken(String ticketId, Ticket ticket) {
        String id = ticketId.toLowerCase(java.util.Locale.ROOT);
        byTicket.putIfAbsent(id, new Entry(id, ticket, null, null));
    }

    /**
     * A data connection runs {@code ticketId}; {@code stop} closes it with a reason. When the ticket
     * was revoked meanwhile, it is stopped at once.
     */
    public void running(String ticketId, Consumer<String> stop) {
        String why;
        synchronized (this) {
            Entry e = byTicket.get(ticketId.toLowerCase(java.util.Locale.ROOT));
            if (e == null) {
                return;
            }
            e.stop = stop;
            why = e.revokedWhy;
        }
        if (why != null) {
            stop.accept(why);
        }
    }

    /** The transfer of {@code ticketId} ended: nothing is left to revoke. */
    public synchronized void ended(String ticketId) {
        Entry e = byTicket.get(ticketId.toLowerCase(java.util.Locale.ROOT));
        if (e != null && e.revokedWhy == null) {
            byTicket.remove(ticketId.toLowerCase(java.util.Locale.ROOT));
        } else if (e != null) {
            e.stop = null;
        }
    }

    /** Revokes what {@code session} was issued ({@code LOGOUT}, or a session ended by a password change). */
    public int revokeSession(Session session, String why) {
        return revoke(e -> e.session == session, why);
    }

    /**
     * Revokes everything of the user named {@code name} ({@code user disable}, {@code user passwd}),
     * and tells the other servers, which end the user's connections too.
     */
    public int revokeUser(String name, String why) {
        int n = revokeUserHere(name, why);
        broadcast.accept(new Revocation(Scope.USER, name, null, why));
        return n;
    }

    /**
     * Tells the other servers that the user named {@code name} changed their password and ended
     * their other sessions: those servers end the user's connections and what they were issued.
     * (This server ended its own, but for the one that changed it.)
     */
    public void sessionsEnded(String name, String why) {
        broadcast.accept(new Revocation(Scope.SESSIONS, name, null, why));
    }

    /** Revokes what was fetched through link {@code code} ({@code UNSHARE LINK}), here and on the other servers. */
    public int revokeLink(String code, String why) {
        int n = revokeLinkHere(code, why);
        broadcast.accept(new Revocation(Scope.LINK, code, null, why));
        return n;
    }

    /**
     * Applies another server's revocation by user, link or share to the tickets issued or running
     * here ({@link Scope#SESSIONS} is the caller's: it names connections, not tickets).
     *
     * @return how many tickets it revoked here
     */
    public int apply(Revocation r) {
        return switch (r.scope()) {
            case USER -> revokeUserHere(r.subject(), r.why());
            case LINK -> revokeLinkHere(r.subject(), r.why());
            case SHARE -> revokeShareHere(r.subject(), sharePath(r.path()), r.why());
            case SESSIONS -> 0;
        };
    }

    private static RemotePath sharePath(String path) {
        try {
            return RemotePath.resolve(RemotePath.ROOT, path);
        } catch (dev.netdisk.protocol.BadPathException e) {
            throw new IllegalArgumentException("not a share's path: " + path, e);
        }
    }

    /**
     * Stops the transfer of {@code ticketId} running here, whose row another server marked revoked
     * for {@code why} (a ticket it issued to a session that logged out).
     */
    public int revokeTicket(String ticketId, String why) {
        String id = ticketId.toLowerCase(java.util.Locale.ROOT);
        return revoke(e -> e.id.equals(id), why);
    }

    private int revokeUserHere(String name, String why) {
        return revoke(e -> e.ticket.user().name().equals(name), why);
    }

    private int revokeLinkHere(String code, String why) {
        return revoke(e -> code.equals(e.linkCode), why);
    }

    /**
     * Revokes what {@code recipient} was issued under {@code sharedPath} (their view of a share,
     * {@code /shared/OWNER/NAME}), and their batch tickets, which may read through it ({@code UNSHARE}).
     */
    public int revokeShare(String recipient, RemotePath sharedPath, String why) {
        int n = revokeShareHere(recipient, sharedPath, why);
        broadcast.accept(new Revocation(Scope.SHARE, recipient, sharedPath.toString(), why));
        return n;
    }

    private int revokeShareHere(String recipient, RemotePath sharedPath, String why) {
        String prefix = sharedPath + "/";
        return revoke(e -> e.ticket.user().name().equals(recipient) && e.linkCode == null
                && (e.ticket instanceof Ticket.Batch || e.ticket.path().equals(sharedPath)
                || e.ticket.path().toString().startsWith(prefix)), why);
    }

    /**
     * Revokes the upload tickets into the kept upload whose bytes are in blob {@code blobId} (it was
     * dropped: its reservation no longer counts against the quota, so its ticket must not be used).
     */
    public int revokeUpload(String blobId, String why) {
        return revoke(e -> e.ticket instanceof Ticket.Upload u && u.partial().blobId().equals(blobId), why);
    }

    /** Forgets tickets that expired unused and reasons kept long enough. */
    public synchronized void purge() {
        Instant now = clock.instant();
        for (Iterator<Entry> it = byTicket.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            boolean expiredUnused = e.stop == null && e.revokedWhy == null && !now.isBefore(e.ticket.expiresAt());
            boolean forgotten = e.revokedWhy != null && e.stop == null && !now.isBefore(e.forgetAt);
            if (expiredUnused || forgotten) {
                it.remove();
            }
        }
    }

    /**
     * Revokes every entry {@code which} matches: unused tickets are cancelled, running transfers
     * stopped. Returns how many tickets (used or not) it revoked.
     */
    private int revoke(Predicate<Entry> which, String why) {
        List<Map.Entry<String, Consumer<String>>> toStop = new ArrayList<>();
        List<String> toCancel = new ArrayList<>();
        synchronized (this) {
            for (Map.Entry<String, Entry> me : byTicket.entrySet()) {
                Entry e = me.getValue();
                if (e.revokedWhy != null || !which.test(e)) {
                    continue;
                }
                e.revokedWhy = why;
                e.forgetAt = clock.instant().plus(REMEMBERED);
                if (e.stop != null) {
                    toStop.add(Map.entry(me.getKey(), e.stop));
                } else {
                    toCancel.add(me.getKey());
                }
            }
        }
        toCancel.forEach(id -> cancelTicket.accept(id, why));
        toStop.forEach(s -> s.getValue().accept("transfer stopped: " + why));
        return toCancel.size() + toStop.size();
    }
}
