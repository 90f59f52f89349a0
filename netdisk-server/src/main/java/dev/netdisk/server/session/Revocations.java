package dev.netdisk.server.session;

import dev.netdisk.protocol.RemotePath;
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
 * <p>Thread-safe: one lock; every operation is a few map operations.
 */
public final class Revocations {

    /** How long a revoked ticket's entry is kept, so it is neither counted nor revoked again (its row keeps the reason). */
    private static final Duration REMEMBERED = Duration.ofMinutes(10);

    /** Under what a ticket was issued, and what stops its transfer once it runs. */
    private static final class Entry {
        final Ticket ticket;
        final Session session;
        final String linkCode;
        Consumer<String> stop;
        String revokedWhy;
        Instant forgetAt;

        Entry(Ticket ticket, Session session, String linkCode) {
            this.ticket = ticket;
            this.session = session;
            this.linkCode = linkCode;
        }
    }

    private final Map<String, Entry> byTicket = new HashMap<>();
    private final BiConsumer<String, String> cancelTicket;
    private final Clock clock;

    /**
     * @param cancelTicket marks an unused ticket (by id) revoked, with the reason, so it can no longer be taken
     */
    public Revocations(BiConsumer<String, String> cancelTicket, Clock clock) {
        this.cancelTicket = cancelTicket;
        this.clock = clock;
    }

    /** Records that {@code ticketId} was issued by {@code session}, through link {@code linkCode} (or null). */
    public synchronized void issued(String ticketId, Ticket ticket, Session session, String linkCode) {
        byTicket.put(ticketId, new Entry(ticket, session, linkCode));
    }

    /**
     * A data connection here took {@code ticketId}, which another server (or this one before a
     * restart) issued: recorded without a session or link, so revoking the user or a share here
     * stops its transfer too. A no-op for a ticket issued here.
     */
    public synchronized void taken(String ticketId, Ticket ticket) {
        byTicket.putIfAbsent(ticketId.toLowerCase(java.util.Locale.ROOT), new Entry(ticket, null, null));
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

    /** Revokes everything of the user named {@code name} ({@code user disable}, {@code user passwd}). */
    public int revokeUser(String name, String why) {
        return revoke(e -> e.ticket.user().name().equals(name), why);
    }

    /** Revokes what was fetched through link {@code code} ({@code UNSHARE LINK}). */
    public int revokeLink(String code, String why) {
        return revoke(e -> code.equals(e.linkCode), why);
    }

    /**
     * Revokes what {@code recipient} was issued under {@code sharedPath} (their view of a share,
     * {@code /shared/OWNER/NAME}), and their batch tickets, which may read through it ({@code UNSHARE}).
     */
    public int revokeShare(String recipient, RemotePath sharedPath, String why) {
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
