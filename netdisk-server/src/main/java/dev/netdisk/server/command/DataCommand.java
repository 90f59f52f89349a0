package dev.netdisk.server.command;

import dev.netdisk.protocol.Outcome;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.config.Limits;
import dev.netdisk.server.protocol.CommandException;
import dev.netdisk.server.protocol.Request;
import dev.netdisk.server.session.Session;
import dev.netdisk.server.store.BlobStore;
import dev.netdisk.server.store.FileTree;
import dev.netdisk.server.store.InlineBlobs;
import dev.netdisk.server.store.PartialUploads;
import dev.netdisk.server.store.Quotas;
import dev.netdisk.server.transfer.BatchTransfer;
import dev.netdisk.server.transfer.DownloadTransfer;
import dev.netdisk.server.transfer.Ticket;
import dev.netdisk.server.transfer.Tickets;
import dev.netdisk.server.transfer.TransferPools;
import dev.netdisk.server.transfer.UploadCommits;
import dev.netdisk.server.transfer.UploadTransfer;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.Optional;
import java.util.Set;

/**
 * {@code DATA ticket}: turns a fresh connection into the data connection of an upload, a download
 * or a batch of small uploads and downloads. The ticket stands for the login. The connection
 * closes after the transfer's final reply.
 */
final class DataCommand implements Command {

    private final Tickets tickets;
    private final FileTree tree;
    private final BlobStore blobs;
    private final Limits limits;
    private final PartialUploads partials;
    private final UploadCommits commits;
    private final TransferPools pools;
    private final Quotas quotas;

    DataCommand(Tickets tickets, FileTree tree, BlobStore blobs, Limits limits, PartialUploads partials,
                UploadCommits commits, TransferPools pools, Quotas quotas) {
        this.tickets = tickets;
        this.tree = tree;
        this.blobs = blobs;
        this.limits = limits;
        this.partials = partials;
        this.commits = commits;
        this.pools = pools;
        this.quotas = quotas;
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
        Ticket ticket = tickets.take(args.get(0)).orElseThrow(() ->
                new CommandException(ReplyCode.TICKET_INVALID, "unknown or expired ticket"));
        long userId = ticket.user().id();
        int max = limits.maxTransfersPerUser();
        if (!tickets.beginTransfer(userId, max)) {
            throw new CommandException(ReplyCode.FILE_BUSY, "too many transfers in progress (max " + max + ")");
        }
        Runnable onEnd = () -> tickets.endTransfer(userId);
        try {
            if (ticket instanceof Ticket.Batch batch) {
                return BatchTransfer.open(tree, blobs, commits, pools.workers(), quotas, batch.user(), onEnd);
            }
            if (ticket instanceof Ticket.Upload upload) {
                if (!tickets.beginUpload(upload.partial().blobId())) {
                    throw new CommandException(ReplyCode.FILE_BUSY, "an upload of " + upload.path()
                            + " is already in progress");
                }
                try {
                    return UploadTransfer.open(blobs, partials, tickets, commits, pools, upload, onEnd);
                } catch (IOException | RuntimeException e) {
                    tickets.endUpload(upload.partial().blobId());
                    throw e;
                }
            }
            Ticket.Download download = (Ticket.Download) ticket;
            if (InlineBlobs.fits(download.node().size())) {
                Optional<byte[]> content = tree.inlineContent(download.node().blobId());
                if (content.isPresent()) {
                    return DownloadTransfer.ofContent(content.get(), download, onEnd);
                }
            }
            try {
                return DownloadTransfer.open(blobs.blobPath(download.node().blobId()), download,
                        pools.forBytes(download.node().size() - download.offset()), onEnd);
            } catch (NoSuchFileException e) {
                throw new CommandException(ReplyCode.FILE_BUSY, "file changed: request it again");
            }
        } catch (Exception e) {
            onEnd.run();
            throw e;
        }
    }
}
