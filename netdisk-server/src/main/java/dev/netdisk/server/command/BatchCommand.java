package dev.netdisk.server.command;

import dev.netdisk.protocol.Outcome;
import dev.netdisk.protocol.ProtocolLimits;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.protocol.Request;
import dev.netdisk.server.session.Session;
import dev.netdisk.server.transfer.DataSession;
import dev.netdisk.server.transfer.Ticket;
import java.util.Set;

/**
 * {@code BATCH}: hands out a ticket for a batch data connection, on which the client uploads and
 * downloads many files without a ticket or a round trip each ({@link DataSession}; {@code docs/PROTOCOL.md}
 * section 6, "Many files on one data connection"). {@code max-size} is the size up to which a file
 * travels in memory, many per read; bigger ones are streamed.
 */
final class BatchCommand implements Command {

    private final IssueTicket issuer;

    BatchCommand(IssueTicket issuer) {
        this.issuer = issuer;
    }

    @Override
    public String verb() {
        return "BATCH";
    }

    @Override
    public String syntax() {
        return "BATCH";
    }

    @Override
    public String summary() {
        return "get a ticket for a data connection that carries many uploads and downloads, each named on it";
    }

    @Override
    public Outcome execute(Session session, Request request) throws Exception {
        CommandArgs.parse(request, this, 0, 0, Set.of());
        Ticket.Batch ticket = new Ticket.Batch(session.requireUser(),
                issuer.expiry());
        String id = issuer.issue(session, ticket);
        return Reply.of(ReplyCode.PENDING, "ticket=" + id + " max-size=" + ProtocolLimits.SMALL_FILE_BYTES
                + " send files on a data connection");
    }
}
