package dev.netdisk.server.command;

import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.protocol.CommandException;
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
    String issue(Ticket ticket) throws CommandException {
        return tickets.issue(ticket, maxPerUser).orElseThrow(() -> new CommandException(ReplyCode.FILE_BUSY,
                "too many unused tickets (max " + maxPerUser + "); use or let them expire first"));
    }
}
