package dev.netdisk.server.command;

import dev.netdisk.protocol.Outcome;
import dev.netdisk.protocol.RemotePath;
import dev.netdisk.server.protocol.Request;
import dev.netdisk.server.session.Session;
import dev.netdisk.server.store.Trash;

/** {@code RMDIR path}: moves an empty directory to the trash ({@code 550 directory not empty} otherwise). */
final class RmdirCommand implements Command {

    private final Trash trash;

    RmdirCommand(Trash trash) {
        this.trash = trash;
    }

    @Override
    public String verb() {
        return "RMDIR";
    }

    @Override
    public String syntax() {
        return "RMDIR path";
    }

    @Override
    public String summary() {
        return "move an empty directory to the trash";
    }

    @Override
    public Outcome execute(Session session, Request request) throws Exception {
        CommandArgs args = CommandArgs.exactly(request, this, 1);
        RemotePath path = RemotePath.resolve(session.cwd(), args.get(0));
        return RmCommand.trashed(trash.remove(session.requireUser().id(), path, Trash.Mode.EMPTY_DIRECTORY));
    }
}
