package dev.netdisk.server.command;

import dev.netdisk.protocol.Outcome;
import dev.netdisk.protocol.RemotePath;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.protocol.Request;
import dev.netdisk.server.protocol.WireBuilder;
import dev.netdisk.server.session.Session;
import dev.netdisk.server.store.FileTree;
import java.util.Set;

/** {@code LS [path]}: a directory's entries, or one file's, as a multi-line {@code 212}. */
final class LsCommand implements Command {

    private final FileTree tree;

    LsCommand(FileTree tree) {
        this.tree = tree;
    }

    @Override
    public String verb() {
        return "LS";
    }

    @Override
    public String syntax() {
        return "LS [path]";
    }

    @Override
    public String summary() {
        return "list a directory: TYPE SIZE MTIME MD5 NAME per entry";
    }

    @Override
    public Outcome execute(Session session, Request request) throws Exception {
        CommandArgs args = CommandArgs.parse(request, this, 0, 1, Set.of());
        RemotePath path = RemotePath.resolve(session.cwd(), args.get(0, ""));
        // Rows go straight into the reply's bytes: no Node, String or rendered copy per entry.
        WireBuilder out = new WireBuilder(ReplyCode.DIRECTORY_STATUS, 4_096);
        int count = tree.list(session.requireUser().id(), path, (directory, size, mtime, md5, name) -> {
            out.continuation();
            Entries.write(out, directory, size, mtime, md5, name);
            out.endLine();
        });
        return out.finish(count + (count == 1 ? " entry" : " entries"));
    }
}
