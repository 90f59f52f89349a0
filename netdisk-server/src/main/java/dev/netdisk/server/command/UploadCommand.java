package dev.netdisk.server.command;

import dev.netdisk.protocol.Md5;
import dev.netdisk.protocol.ModificationTime;
import dev.netdisk.protocol.Outcome;
import dev.netdisk.protocol.RemotePath;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.protocol.CommandException;
import dev.netdisk.server.protocol.Request;
import dev.netdisk.server.session.Session;
import dev.netdisk.server.store.BlobStore;
import dev.netdisk.server.store.InlineBlobs;
import dev.netdisk.server.store.PartialUploads.Partial;
import dev.netdisk.server.store.PartialUploads;
import dev.netdisk.server.store.User;
import dev.netdisk.server.transfer.Ticket;
import dev.netdisk.server.transfer.Tickets;
import dev.netdisk.server.transfer.UploadAdmission;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@code UPLOAD path size [md5|-] [--overwrite]}: checks that the file may be stored and hands out a
 * ticket for the data connection, with the offset to resume from when the same file's upload was
 * interrupted before. What may be stored where, and the quota, is {@link UploadAdmission}'s rule,
 * the one the commit applies too; a file that would not fit is refused with {@code 552} before
 * any byte moves.
 *
 * <p>Without an MD5 (or with {@code -}) the checksum is deferred: the client sends it as a trailer
 * line after the bytes ({@code docs/PROTOCOL.md} section 6), so it can hash while it sends. Such an
 * upload resumes by user, path and size; the whole file's MD5 is still checked at the end.
 */
final class UploadCommand implements Command {

    /** The {@code md5} argument that says the MD5 follows the bytes. */
    static final String DEFERRED = "-";

    private final BlobStore blobs;
    private final PartialUploads partials;
    private final Tickets tickets;
    private final IssueTicket issuer;
    private final UploadAdmission admission;

    UploadCommand(BlobStore blobs, PartialUploads partials, Tickets tickets, IssueTicket issuer,
                  UploadAdmission admission) {
        this.blobs = blobs;
        this.partials = partials;
        this.tickets = tickets;
        this.issuer = issuer;
        this.admission = admission;
    }

    @Override
    public String verb() {
        return "UPLOAD";
    }

    @Override
    public String syntax() {
        return "UPLOAD path size [md5|-] [mtime=MS] [--overwrite]";
    }

    @Override
    public String summary() {
        return "get a ticket to send a file's bytes on a data connection (resumes when it can)";
    }

    @Override
    public Outcome execute(Session session, Request request) throws Exception {
        CommandArgs args = CommandArgs.parse(request, this, 2, 4, Set.of("--overwrite"));
        User user = session.requireUser();
        RemotePath path = RemotePath.resolve(session.cwd(), args.get(0));
        long size = args.nonNegativeLong(1, "size");
        // The md5 may be left out before mtime=: then it is deferred, as when it is left out at the end.
        int mtimeAt = args.count() > 2 && ModificationTime.isWord(args.get(2)) ? 2 : 3;
        if (args.count() > mtimeAt + 1) {
            throw new CommandException(ReplyCode.ARGUMENT_ERROR, "usage: " + syntax());
        }
        Long mtime = null;
        if (args.count() > mtimeAt) {
            java.util.OptionalLong parsed = ModificationTime.parse(args.get(mtimeAt));
            if (parsed.isEmpty()) {
                throw new CommandException(ReplyCode.ARGUMENT_ERROR, "mtime must be milliseconds since the epoch,"
                        + " years 1 to 9999: " + args.get(mtimeAt));
            }
            mtime = parsed.getAsLong();
        }
        // null: the MD5 comes as a trailer after the bytes.
        String md5 = null;
        String sum = mtimeAt == 2 ? DEFERRED : args.get(2, DEFERRED);
        if (!sum.equals(DEFERRED)) {
            if (!Md5.isHex(sum)) {
                throw new CommandException(ReplyCode.ARGUMENT_ERROR, "md5 must be 32 hex digits or - (sent after the bytes): "
                        + sum);
            }
            md5 = sum.toLowerCase(Locale.ROOT);
        }
        String resumeKey = md5 == null ? PartialUploads.DEFERRED_MD5 : md5;
        boolean overwrite = args.has("--overwrite");

        if (InlineBlobs.fits(size)) {
            // A small file is not kept for resume (sent whole again) and is stored in the database.
            // Its reservation is its ticket's row: checked and inserted in one transaction, so that
            // many connections announcing at one instant, on any servers, cannot all pass the same
            // check. PostgreSQL may run that transaction again: only the last attempt's id counts.
            Partial partial = PartialUploads.notKept(user.id(), path, size, resumeKey, blobs.newBlobId());
            Ticket.Upload ticket = new Ticket.Upload(user, path, size, md5, mtime, 0, overwrite, partial, issuer.expiry());
            String[] id = new String[1];
            admission.admitUnkept(user.id(), path, size, overwrite, c -> id[0] = issuer.insert(c, ticket));
            issuer.issued(session, ticket, id[0]);
            return ticketReply(id[0], 0, size, md5);
        }

        // Before any byte moves: the same rule as the commit's, and the quota (checked again, and
        // reserved, inside the transaction that records the kept upload: PartialUploads.create).
        admission.admit(user.id(), path, size, overwrite);

        long offset = 0;
        Partial partial;
        Optional<Partial> kept = partials.find(user.id(), path, size, resumeKey);
        if (kept.isPresent()) {
            partial = kept.get();
            if (tickets.isUploading(partial.blobId())) {
                throw new CommandException(ReplyCode.FILE_BUSY, "an upload of " + path + " is already in progress");
            }
            // Whole encrypted parts only: a part cut short is sent again (docs/PROTOCOL.md, UPLOAD).
            offset = blobs.keptPlaintext(partial.blobId(), size);
            partials.touch(partial.id());
        } else {
            partial = partials.create(user.id(), path, size, resumeKey, blobs.newBlobId());
        }
        Ticket.Upload ticket = new Ticket.Upload(user, path, size, md5, mtime, offset, overwrite, partial,
                issuer.expiry());
        return ticketReply(issuer.issue(session, ticket), offset, size, md5);
    }

    private static Outcome ticketReply(String id, long offset, long size, String md5) {
        return Reply.of(ReplyCode.PENDING, "ticket=" + id + " offset=" + offset + " size=" + size
                + (md5 == null ? " send the bytes, then the line MD5 <md5>, on a data connection"
                        : " send the bytes on a data connection"));
    }
}
