package dev.netdisk.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.netdisk.cli.client.Entry;
import dev.netdisk.cli.client.NetdiskClient;
import dev.netdisk.cli.client.TrashEmptied;
import dev.netdisk.cli.client.TrashItem;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code trash [list [--json] | restore ID [PATH] | empty]}: what rm and rmdir moved aside. */
@Command(name = "trash", description = {"Items moved to the trash by rm and rmdir (kept 30 days by default).",
        "trash list [--json] | restore ID [PATH] | empty"})
final class TrashCommand extends Verb {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    enum Action { LIST, RESTORE, EMPTY }

    @Parameters(index = "0", arity = "0..1", paramLabel = "ACTION", defaultValue = "list",
            description = "list, restore or empty (default: list).")
    String action;

    @Parameters(index = "1", arity = "0..1", paramLabel = "ID", description = "With restore: the trash id.")
    String id;

    @Parameters(index = "2", arity = "0..1", paramLabel = "PATH",
            description = "With restore: where to put it instead of where it was.")
    String path;

    @Option(names = "--json", description = "With list: a JSON array of {id, deleted, type, size, path}.")
    boolean json;

    @Override
    void run(Session s) throws Exception {
        Action a;
        try {
            a = Action.valueOf(action.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("unknown trash action: " + action + " (list, restore or empty)");
        }
        if (a != Action.RESTORE && id != null) {
            throw new UsageException("trash " + action + " takes no arguments");
        }
        NetdiskClient c = s.loggedIn();
        switch (a) {
            case LIST -> print(s, c.trashList());
            case RESTORE -> {
                if (id == null) {
                    throw new UsageException("trash restore needs a trash id (see 'trash list')");
                }
                long n;
                try {
                    n = Long.parseLong(id);
                } catch (NumberFormatException e) {
                    throw new UsageException("not a trash id: " + id + " (see 'trash list')");
                }
                String at = c.trashRestore(n, path);
                if (!s.settings().quiet()) {
                    s.out().println("restored " + at);
                }
            }
            case EMPTY -> {
                TrashEmptied r = c.trashEmpty();
                if (!s.settings().quiet()) {
                    s.out().println("trash emptied: " + r.items() + " item" + (r.items() == 1 ? "" : "s") + ", "
                            + r.bytes() + " bytes freed");
                }
            }
        }
    }

    private void print(Session s, List<TrashItem> items) {
        if (json) {
            ArrayNode array = new ObjectMapper().createArrayNode();
            for (TrashItem t : items) {
                array.addObject().put("id", t.id()).put("deleted", t.deletedAt().toString())
                        .put("type", t.type() == Entry.Type.DIRECTORY ? "directory" : "file")
                        .put("size", t.size()).put("path", t.path());
            }
            s.out().println(array.toPrettyString());
            return;
        }
        for (TrashItem t : items) {
            s.out().println(String.format("%6d  %s  %s %12d  %s%s", t.id(), TIME.format(t.deletedAt()),
                    t.type() == Entry.Type.DIRECTORY ? "d" : "-", t.size(), t.path(),
                    t.type() == Entry.Type.DIRECTORY && !t.path().endsWith("/") ? "/" : ""));
        }
    }
}
