package dev.netdisk.server.command;

import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.protocol.CommandException;
import dev.netdisk.server.session.Session;
import dev.netdisk.server.transfer.Ticket;
import dev.netdisk.server.transfer.Tickets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

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
    String issue(Session session, Ticket ticket) throws CommandException, SQLException {
        return issue(session, ticket, null);
    }

    /**
     * As above, for a ticket issued through link {@code linkCode} (or null): revoking the session
     * or the link revokes the ticket ({@link dev.netdisk.server.session.Revocations}).
     */
    String issue(Session session, Ticket ticket, String linkCode) throws CommandException, SQLException {
        return issued(session, ticket, linkCode, tickets.issue(ticket, maxPerUser));
    }

    /**
     * Inserts {@code ticket}'s row inside the caller's write transaction on {@code c} (an unkept
     * upload's quota check: the row is its reservation) and returns its id; {@link #issued} registers
     * it once the transaction committed, since a PostgreSQL transaction may run more than once.
     *
     * @throws CommandException 450 when the user already holds the most unused tickets allowed
     */
    String insert(Connection c, Ticket ticket) throws CommandException, SQLException {
        return tickets.issue(c, ticket, maxPerUser).orElseThrow(this::tooMany);
    }

    /** {@code ticket}, inserted as {@code id} by {@link #insert}, was committed: revoking {@code session} revokes it. */
    void issued(Session session, Ticket ticket, String id) {
        tickets.revocations().issued(id, ticket, session, null);
    }

    private CommandException tooMany() {
        return new CommandException(ReplyCode.FILE_BUSY,
                "too many unused tickets (max " + maxPerUser + "); use or let them expire first");
    }

    private String issued(Session session, Ticket ticket, String linkCode, Optional<String> id)
            throws CommandException {
        String issued = id.orElseThrow(this::tooMany);
        tickets.revocations().issued(issued, ticket, session, linkCode);
        return issued;
    }
}
