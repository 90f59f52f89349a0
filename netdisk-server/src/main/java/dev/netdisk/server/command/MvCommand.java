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
import java.nio.file.NotDirectoryException;

/**
 * {@code MV src dst} (alias {@code RENAME}): moves or renames a file or directory to exactly
 * {@code dst}; never over an existing entry, never into itself. Only metadata changes, so a download
 * of the file running meanwhile completes with the original bytes.
 */
final class MvCommand implements Command {

    private final FileEdits edits;
    private final String verb;

    MvCommand(FileEdits edits, String verb) {
        this.edits = edits;
        this.verb = verb;
    }

    @Override
    public String verb() {
        return verb;
    }

    @Override
    public String syntax() {
        return verb + " src dst";
    }

    @Override
    public String summary() {
        return "move or rename a file or directory to exactly dst (which must not exist)";
    }

    @Override
    public Outcome execute(Session session, Request request) throws Exception {
        CommandArgs args = CommandArgs.exactly(request, this, 2);
        RemotePath src = RemotePath.resolve(session.cwd(), args.get(0));
        RemotePath dst = RemotePath.resolve(session.cwd(), args.get(1));
        checkPaths("move", src, dst);
        try {
            edits.move(session.requireUser().id(), src, dst);
        } catch (NotDirectoryException e) {
            throw new CommandException(ReplyCode.FILE_UNAVAILABLE, "no such directory: " + e.getFile());
        }
        return Reply.of(ReplyCode.FILE_ACTION_OK, "moved " + Arguments.forceQuote(src.toString()) + " to "
                + Arguments.forceQuote(dst.toString()));
    }

    /** The refusals of {@code MV} and {@code COPY} that the paths alone decide. */
    static void checkPaths(String action, RemotePath src, RemotePath dst) throws CommandException {
        if (src.isRoot()) {
            throw new CommandException(ReplyCode.NAME_NOT_ALLOWED, "cannot " + action + " the root: /");
        }
        if (dst.isRoot() || dst.equals(src)) {
            throw new CommandException(ReplyCode.ALREADY_EXISTS, "already exists: " + dst);
        }
        if (FileEdits.within(dst, src)) {
            throw new CommandException(ReplyCode.FILE_UNAVAILABLE, "cannot " + action + " " + src
                    + " into itself: " + dst);
        }
    }
}
