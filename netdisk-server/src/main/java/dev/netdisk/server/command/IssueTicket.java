package dev.netdisk.server.command;

import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.protocol.CommandException;
import dev.netdisk.server.session.Session;
import dev.netdisk.server.transfer.Ticket;
import dev.netdisk.server.transfer.Tickets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Hands out data-connection tickets within the per-user limit: shared by UPLOAD, DOWNLOAD, BATCH
 * and FETCH. Thread-safe.
 */
final class IssueTicket {

    private final Tickets tickets;
    private final Clock clock;
    private final Duration ttl;
    private final int maxPerUser;

    /**
     * @param ttl        how long an unused ticket stays valid
     * @param maxPerUser unused tickets one user may hold; 0 for no limit
     */
    IssueTicket(Tickets tickets, Clock clock, Duration ttl, int maxPerUser) {
        this.tickets = tickets;
        this.clock = clock;
        this.ttl = ttl;
        this.maxPerUser = maxPerUser;
    }

    /** When a ticket issued now expires. */
    Instant expiry() {
        return clock.instant().plus(ttl);
    }

    /**
     * Registers {@code ticket} and returns its id.
     *
     * @throws CommandException 450 when the user already holds the most unused tickets allowed
     */
    String issue(Session session, Ticket ticket) throws CommandException {
        return issue(session, ticket, null);
    }

    /**
     * As above, for a ticket issued through link {@code linkCode} (or null): revoking the session
     * or the link revokes the ticket ({@link dev.netdisk.server.session.Revocations}).
     */
    String issue(Session session, Ticket ticket, String linkCode) throws CommandException {
        String id = tickets.issue(ticket, maxPerUser).orElseThrow(() -> new CommandException(ReplyCode.FILE_BUSY,
                "too many unused tickets (max " + maxPerUser + "); use or let them expire first"));
        tickets.revocations().issued(id, ticket, session, linkCode);
        return id;
    }
}
