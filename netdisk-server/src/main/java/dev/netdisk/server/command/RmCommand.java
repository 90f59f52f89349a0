package dev.netdisk.server.command;

import dev.netdisk.protocol.Arguments;
import dev.netdisk.protocol.Outcome;
import dev.netdisk.protocol.RemotePath;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.protocol.CommandException;
import dev.netdisk.server.protocol.Request;
import dev.netdisk.server.session.Session;
import dev.netdisk.server.store.IsDirectoryException;
import dev.netdisk.server.store.Trash;
import java.util.Set;

/**
 * {@code RM [-r] path}: moves a file (with {@code -r}: a directory and everything in it) to the
 * trash. Reply {@code 250 trash=ID moved "PATH" to the trash}.
 */
final class RmCommand implements Command {

    private final Trash trash;

    RmCommand(Trash trash) {
        this.trash = trash;
    }

    @Override
    public String verb() {
        return "RM";
    }

    @Override
    public String syntax() {
        return "RM [-r] path";
    }

    @Override
    public String summary() {
        return "move a file (-r: a directory tree) to the trash";
    }

    @Override
    public Outcome execute(Session session, Request request) throws Exception {
        CommandArgs args = CommandArgs.parse(request, this, 1, 1, Set.of("-r", "-R"));
        RemotePath path = RemotePath.resolve(session.cwd(), args.get(0));
        Trash.Mode mode = args.has("-r") || args.has("-R") ? Trash.Mode.TREE : Trash.Mode.FILE;
        Trash.Item item;
        try {
            item = trash.remove(session.requireUser().id(), path, mode);
        } catch (IsDirectoryException e) {
            throw new CommandException(ReplyCode.FILE_UNAVAILABLE, "is a directory: " + path
                    + " (RM -r removes a directory and everything in it)");
        }
        return trashed(item);
    }

    /** The reply of {@code RM} and {@code RMDIR}. */
    static Reply trashed(Trash.Item item) {
        return Reply.of(ReplyCode.FILE_ACTION_OK, "trash=" + item.id() + " moved "
                + Arguments.forceQuote(item.originalPath()) + " to the trash");
    }
}
