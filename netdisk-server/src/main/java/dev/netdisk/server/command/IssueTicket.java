package dev.netdisk.server.command;

import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.Services;
import dev.netdisk.server.protocol.CommandException;
import dev.netdisk.server.transfer.Ticket;

/** Hands out a data-connection ticket within the per-user limit: shared by UPLOAD, DOWNLOAD and FETCH. */
final class IssueTicket {
    private IssueTicket() {
    }

    /**
     * Registers {@code ticket} and returns its id.
     *
     * @throws CommandException 450 when the user already holds the most unused tickets allowed
     */
    static String issue(Services services, Ticket ticket) throws CommandException {
        int max = services.config().limits().maxTicketsPerUser();
        return services.tickets().issue(ticket, max).orElseThrow(() -> new CommandException(ReplyCode.FILE_BUSY,
                "too many unused tickets (max " + max + "); use or let them expire first"));
    }
}
