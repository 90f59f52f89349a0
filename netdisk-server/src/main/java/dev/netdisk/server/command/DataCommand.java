package dev.netdisk.server.command;

import dev.netdisk.protocol.Outcome;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.config.Limits;
import dev.netdisk.server.protocol.CommandException;
import dev.netdisk.server.protocol.Request;
import dev.netdisk.server.session.Session;
import dev.netdisk.server.transfer.DataSession;
import dev.netdisk.server.transfer.Ticket;
import dev.netdisk.server.transfer.Tickets;
import dev.netdisk.server.transfer.TransferParts;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.Set;

/**
 * {@code DATA ticket}: turns a fresh connection into a data connection ({@link DataSession}) for
 * the file of an {@code UPLOAD}, {@code DOWNLOAD} or {@code FETCH} ticket, or for the files a
 * {@code BATCH} ticket's client names. The ticket stands for the login. The connection closes after
 * the final reply.
 */
final class DataCommand implements Command {

    private final TransferParts transfers;
    private final Limits limits;

    DataCommand(TransferParts transfers, Limits limits) {
        this.transfers = transfers;
        this.limits = limits;
    }

    @Override
    public String verb() {
        return "DATA";
    }

    @Override
    public String syntax() {
        return "DATA ticket";
    }

    @Override
    public String summary() {
        return "first command of a data connection: carry the bytes of a ticket";
    }

    @Override
    public boolean needsLogin() {
        return false;
    }

    @Override
    public boolean needsTls() {
        return true;
    }

    @Override
    public Outcome execute(Session session, Request request) throws Exception {
        CommandArgs args = CommandArgs.parse(request, this, 1, 1, Set.of());
        if (session.isLoggedIn()) {
            throw new CommandException(ReplyCode.BAD_SEQUENCE,
                    "DATA must be the first command of a new connection, not of a logged-in one");
        }
        String id = args.get(0);
        int max = limits.maxTransfersPerUser();
        Tickets.Taking taking = transfers.tickets().take(id, max);
        if (taking instanceof Tickets.Refused refused) {
            throw new CommandException(ReplyCode.TICKET_INVALID, refused.revokedWhy()
                    .map(why -> "ticket revoked: " + why).orElse("unknown or expired ticket"));
        }
        if (taking instanceof Tickets.Busy) {
            throw new CommandException(ReplyCode.FILE_BUSY, "too many transfers in progress (max " + max + ")");
        }
        Ticket ticket = ((Tickets.Taken) taking).ticket();
        long userId = ticket.user().id();
        Runnable onEnd = () -> {
            transfers.tickets().ended(id, userId);
            transfers.tickets().revocations().ended(id);
        };
        transfers.tickets().revocations().taken(id, ticket);
        transfers.tickets().revocations().running(id, session::disconnect);
        try {
            if (ticket instanceof Ticket.Batch batch) {
                return DataSession.batch(transfers, batch.user(), onEnd);
            }
            if (ticket instanceof Ticket.Upload upload) {
                return upload(upload, onEnd);
            }
            try {
                return DataSession.download(transfers, (Ticket.Download) ticket, onEnd);
            } catch (NoSuchFileException e) {
                throw new CommandException(ReplyCode.FILE_BUSY, "file changed: request it again");
            }
        } catch (Exception e) {
            onEnd.run();
            throw e;
        }
    }

    private Outcome upload(Ticket.Upload upload, Runnable onEnd) throws Exception {
        String blobId = upload.partial().blobId();
        boolean kept = upload.partial().kept();
        if (kept && !transfers.tickets().beginUpload(blobId)) {
            throw new CommandException(ReplyCode.FILE_BUSY, "an upload of " + upload.path() + " is already in progress");
        }
        try {
            return DataSession.upload(transfers, upload, onEnd);
        } catch (IOException | RuntimeException e) {
            if (kept) {
                transfers.tickets().endUpload(blobId);
            }
            throw e;
        }
    }
}
