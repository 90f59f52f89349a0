package dev.netdisk.server.command;

import dev.netdisk.protocol.Arguments;
import dev.netdisk.protocol.Outcome;
import dev.netdisk.protocol.RemotePath;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.protocol.CommandException;
import dev.netdisk.server.protocol.Request;
import dev.netdisk.server.session.Session;
import dev.netdisk.server.store.FileEdits;
import dev.netdisk.server.store.Quotas;
import java.nio.file.NotDirectoryException;

/**
 * {@code COPY src dst}: a server-side copy of a file or directory tree to exactly {@code dst}. The
 * copy shares the original's blobs (no byte is duplicated on disk) but counts in full in the quota.
 * Reply {@code 250 size=BYTES files=N dirs=N copied "SRC" to "DST"}.
 */
final class CopyCommand implements Command {

    private final FileEdits edits;

    CopyCommand(FileEdits edits) {
        this.edits = edits;
    }

    @Override
    public String verb() {
        return "COPY";
    }

    @Override
    public String syntax() {
        return "COPY src dst";
    }

    @Override
    public String summary() {
        return "copy a file or directory tree to exactly dst, on the server, sharing the bytes";
    }

    @Override
    public Outcome execute(Session session, Request request) throws Exception {
        CommandArgs args = CommandArgs.exactly(request, this, 2);
        RemotePath src = RemotePath.resolve(session.cwd(), args.get(0));
        RemotePath dst = RemotePath.resolve(session.cwd(), args.get(1));
        MvCommand.checkPaths("copy", src, dst);
        Quotas.Tally tally;
        try {
            tally = edits.copy(session.requireUser().id(), src, dst);
        } catch (NotDirectoryException e) {
            throw new CommandException(ReplyCode.FILE_UNAVAILABLE, "no such directory: " + e.getFile());
        }
        return Reply.of(ReplyCode.FILE_ACTION_OK, "size=" + tally.bytes() + " files=" + tally.files() + " dirs="
                + tally.directories() + " copied " + Arguments.forceQuote(src.toString()) + " to "
                + Arguments.forceQuote(dst.toString()));
    }
}
