package dev.netdisk.server.command;

import dev.netdisk.protocol.Arguments;
import dev.netdisk.protocol.Outcome;
import dev.netdisk.protocol.RemotePath;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.server.protocol.CommandException;
import dev.netdisk.server.protocol.Request;
import dev.netdisk.server.session.Session;
import dev.netdisk.server.store.Trash;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@code TRASH LIST | RESTORE id [path] | EMPTY}: what {@code RM} and {@code RMDIR} removed.
 *
 * <p>{@code LIST} is a multi-line {@code 211}, one item per line: {@code ID DELETED-AT TYPE SIZE PATH}
 * (the path is the rest of the line), oldest first.
 */
final class TrashCommand implements Command {

    private final Trash trash;

    TrashCommand(Trash trash) {
        this.trash = trash;
    }

    @Override
    public String verb() {
        return "TRASH";
    }

    @Override
    public String syntax() {
        return "TRASH LIST | TRASH RESTORE id [path] | TRASH EMPTY";
    }

    @Override
    public String summary() {
        return "list the trash, put an item back (where it was, or at path), or empty it for good";
    }

    @Override
    public Outcome execute(Session session, Request request) throws Exception {
        CommandArgs args = CommandArgs.parse(request, this, 1, 3, Set.of());
        long userId = session.requireUser().id();
        String action = args.get(0).toUpperCase(Locale.ROOT);
        switch (action) {
            case "LIST" -> {
                expect(args, 1);
                List<String> lines = new ArrayList<>();
                for (Trash.Item item : trash.list(userId)) {
                    lines.add(item.id() + " " + Entries.TIMESTAMP.format(Instant.ofEpochMilli(item.deletedAt())) + " "
                            + (item.directory() ? "d " : "f ") + item.size() + " " + item.originalPath());
                }
                return Reply.multiline(ReplyCode.STATUS, lines, lines.size() + (lines.size() == 1 ? " item" : " items")
                        + " in the trash (kept " + trash.ttl().toDays() + " days)");
            }
            case "RESTORE" -> {
                if (args.count() < 2) {
                    throw new CommandException(ReplyCode.ARGUMENT_ERROR, "missing argument; usage: TRASH RESTORE id [path]");
                }
                long id = args.nonNegativeLong(1, "trash id");
                Optional<RemotePath> target = args.count() > 2
                        ? Optional.of(RemotePath.resolve(session.cwd(), args.get(2))) : Optional.empty();
                RemotePath restored;
                try {
                    restored = trash.restore(userId, id, target);
                } catch (FileAlreadyExistsException e) {
                    throw new CommandException(ReplyCode.ALREADY_EXISTS, "already exists: " + e.getFile()
                            + " (TRASH RESTORE " + id + " path puts it elsewhere)");
                } catch (NotDirectoryException e) {
                    throw new CommandException(ReplyCode.FILE_UNAVAILABLE, "not a directory: " + e.getFile());
                } catch (NoSuchFileException e) {
                    throw new CommandException(ReplyCode.FILE_UNAVAILABLE, "no such trash item: " + id);
                }
                return Reply.of(ReplyCode.FILE_ACTION_OK, "restored " + Arguments.forceQuote(restored.toString()));
            }
            case "EMPTY" -> {
                expect(args, 1);
                Trash.Purge purge = trash.empty(userId);
                return Reply.of(ReplyCode.FILE_ACTION_OK, "items=" + purge.items() + " bytes=" + purge.bytes()
                        + " trash emptied");
            }
            default -> throw new CommandException(ReplyCode.ARGUMENT_ERROR, "unknown action " + args.get(0)
                    + "; usage: " + syntax());
        }
    }

    private void expect(CommandArgs args, int count) throws CommandException {
        if (args.count() != count) {
            throw new CommandException(ReplyCode.ARGUMENT_ERROR, "too many arguments; usage: " + syntax());
        }
    }
}
