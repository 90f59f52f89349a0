package dev.netdisk.cli.command;

import dev.netdisk.cli.client.NetdiskClient;
import dev.netdisk.cli.client.TrashItem;
import dev.netdisk.cli.session.Session;
import dev.netdisk.cli.session.UsageException;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code trash [list | restore ID [PATH] | empty]}: what {@code rm} removed. */
@Command(name = "trash", description = {"List the trash, restore an item, or empty it (items expire after 30 days).",
        "trash list | trash restore ID [PATH] | trash empty"})
final class TrashCommand extends Verb {


    @Parameters(index = "0", arity = "0..1", paramLabel = "ACTION", defaultValue = "list",
            description = "list (default), restore or empty.")
    String action;

    @Parameters(index = "1", arity = "0..1", paramLabel = "ID", description = "With restore: the trash id.")
    Long id;

    @Parameters(index = "2", arity = "0..1", paramLabel = "PATH", description = "With restore: where to put it instead.")
    String path;

    @Override
    void run(Session s) throws Exception {
        NetdiskClient c = s.loggedIn();
        switch (action.toLowerCase(Locale.ROOT)) {
            case "list" -> {
                for (TrashItem t : c.files().trash()) {
                    s.console().out().println(String.format("%6d  %s  %s %12d  %s", t.id(), s.settings().times().dateTime(t.deletedAt()),
                            t.type() == dev.netdisk.cli.client.Entry.Type.DIRECTORY ? "d" : "-", t.size(), t.path()));
                }
            }
            case "restore" -> {
                if (id == null) {
                    throw new UsageException("trash restore needs a trash id (see 'trash list')");
                }
                s.console().out().println("restored " + c.files().trashRestore(id, path));
            }
            case "empty" -> s.console().out().println("emptied the trash (" + Format.humanSize(c.files().trashEmpty()) + " freed)");
            default -> throw new UsageException("unknown trash action: " + action + " (list, restore or empty)");
        }
    }
}
