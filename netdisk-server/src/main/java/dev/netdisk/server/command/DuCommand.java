package dev.netdisk.server.command;

import dev.netdisk.protocol.Outcome;
import dev.netdisk.protocol.RemotePath;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.protocol.Request;
import dev.netdisk.server.session.Session;
import dev.netdisk.server.store.Quotas;
import java.util.Set;

/**
 * {@code DU [path]}: the total size of a tree (default: the working directory):
 * {@code 213 size=BYTES files=N dirs=N PATH}, the path being the rest of the line.
 */
final class DuCommand implements Command {

    private final Quotas quotas;

    DuCommand(Quotas quotas) {
        this.quotas = quotas;
    }

    @Override
    public String verb() {
        return "DU";
    }

    @Override
    public String syntax() {
        return "DU [path]";
    }

    @Override
    public String summary() {
        return "total size of a directory tree (or a file): bytes, files, directories";
    }

    @Override
    public Outcome execute(Session session, Request request) throws Exception {
        CommandArgs args = CommandArgs.parse(request, this, 0, 1, Set.of());
        RemotePath path = RemotePath.resolve(session.cwd(), args.get(0, ""));
        Quotas.Tally t = quotas.du(session.requireUser().id(), path);
        // At the root, what else counts against the quota: the trash and unfinished uploads.
        String parts = "";
        if (path.isRoot()) {
            Quotas.Breakdown b = quotas.breakdown(session.requireUser().id());
            parts = " trash=" + b.trash() + " uploads=" + b.uploads();
        }
        return Reply.of(ReplyCode.FILE_STATUS, "size=" + t.bytes() + " files=" + t.files() + " dirs=" + t.directories()
                + parts + " " + path);
    }
}
