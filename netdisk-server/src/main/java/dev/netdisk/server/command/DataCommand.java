package dev.netdisk.server.command;

import dev.netdisk.protocol.Outcome;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.Services;
import dev.netdisk.server.protocol.CommandException;
import dev.netdisk.server.protocol.Request;
import dev.netdisk.server.session.Session;
import dev.netdisk.server.store.InlineBlobs;
import dev.netdisk.server.store.Quotas;
import dev.netdisk.server.transfer.BatchTransfer;
import dev.netdisk.server.transfer.DownloadTransfer;
import dev.netdisk.server.transfer.Ticket;
import dev.netdisk.server.transfer.UploadTransfer;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.Optional;
import java.util.Set;

/**
 * {@code DATA ticket}: turns a fresh connection into the data connection of an upload, a download
 * or a batch of small uploads and downloads. The ticket stands for the login. Unless kept ({@code --keep}), the
 * connection closes after the transfer.
 */
final class DataCommand implements Command {

    private final Services services;
    private final Quotas quotas;

    DataCommand(Services services, Quotas quotas) {
        this.services = services;
        this.quotas = quotas;
    }

    @Override
    public String verb() {
        return "DATA";
    }

    @Override
    public String syntax() {
        return "DATA ticket [--keep]";
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
    public Outcome execute(Session session, Request request) throws Exception {
        CommandArgs args = CommandArgs.parse(request, this, 1, 1, Set.of("--keep"));
        if (session.isLoggedIn()) {
            throw new CommandException(ReplyCode.BAD_SEQUENCE,
                    "DATA must be the first command of a new connection, not of a logged-in one");
        }
        Ticket ticket = services.tickets().take(args.get(0)).orElseThrow(() ->
                new CommandException(ReplyCode.TICKET_INVALID, "unknown or expired ticket"));
        long userId = ticket.user().id();
        int max = services.config().limits().maxTransfersPerUser();
        if (!services.tickets().beginTransfer(userId, max)) {
            throw new CommandException(ReplyCode.FILE_BUSY, "too many transfers in progress (max " + max + ")");
        }
        Runnable onEnd = () -> services.tickets().endTransfer(userId);
        session.startData(args.has("--keep"));
        try {
            if (ticket instanceof Ticket.Batch batch) {
                return BatchTransfer.open(services, quotas, batch.user(), onEnd);
            }
            if (ticket instanceof Ticket.Upload upload) {
                if (!services.tickets().beginUpload(upload.partial().blobId())) {
                    throw new CommandException(ReplyCode.FILE_BUSY, "an upload of " + upload.path()
                            + " is already in progress");
                }
                try {
                    return UploadTransfer.open(services, upload, onEnd);
                } catch (IOException | RuntimeException e) {
                    services.tickets().endUpload(upload.partial().blobId());
                    throw e;
                }
            }
            Ticket.Download download = (Ticket.Download) ticket;
            if (InlineBlobs.fits(download.node().size())) {
                Optional<byte[]> content = services.tree().inlineContent(download.node().blobId());
                if (content.isPresent()) {
                    return DownloadTransfer.ofContent(content.get(), download, onEnd);
                }
            }
            try {
                return DownloadTransfer.open(services.blobs().blobPath(download.node().blobId()), download,
                        services.transferPool(download.node().size() - download.offset()), onEnd);
            } catch (NoSuchFileException e) {
                throw new CommandException(ReplyCode.FILE_BUSY, "file changed: request it again");
            }
        } catch (Exception e) {
            onEnd.run();
            throw e;
        }
    }
}
