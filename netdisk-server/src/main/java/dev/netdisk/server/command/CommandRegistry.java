package dev.netdisk.server.command;

import dev.netdisk.server.Services;
import dev.netdisk.server.store.FileEdits;
import dev.netdisk.server.store.Quotas;
import dev.netdisk.server.store.Shares;
import dev.netdisk.server.store.Trash;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The one map from verb to handler. Immutable. */
public final class CommandRegistry {

    private final Map<String, Command> byVerb;

    private CommandRegistry(List<Command> commands) {
        this.byVerb = Map.copyOf(commands.stream().collect(Collectors.toMap(Command::verb, Function.identity())));
    }

    /** Every command of protocol version 1, wired to {@code services}. */
    public static CommandRegistry create(Services services) {
        Quotas quotas = new Quotas(services.database(), services.config().storage().defaultQuotaBytes());
        Trash trash = new Trash(services.database(), services.blobs(), services.clock(),
                services.config().storage().trashTtl());
        FileEdits edits = new FileEdits(services.database(), quotas, services.clock());
        Shares shares = new Shares(services.database(), services.clock());
        CommandRegistry[] self = new CommandRegistry[1];
        self[0] = new CommandRegistry(List.of(
                new NoopCommand(),
                new QuitCommand(),
                new HelpCommand(() -> self[0]),
                new RegisterCommand(services),
                new LoginCommand(services),
                new LogoutCommand(services.users(), services.presence()),
                new PwdCommand(),
                new CdCommand(services.tree()),
                new LsCommand(services.tree()),
                new MakedirCommand(services.tree(), "MAKEDIR"),
                new MakedirCommand(services.tree(), "MKDIR"),
                new StatCommand(services.tree()),
                new UploadCommand(services, quotas),
                new DownloadCommand(services),
                new DataCommand(services, quotas),
                new BatchCommand(services),
                new ChatCommand(services),
                new FriendCommand(services),
                new UsersCommand(services.chat().store()),
                new WhoCommand(services),
                new GroupCommand(services),
                new HistoryCommand(services),
                new RmCommand(trash),
                new RmdirCommand(trash),
                new MvCommand(edits, "MV"),
                new MvCommand(edits, "RENAME"),
                new CopyCommand(edits),
                new TrashCommand(trash),
                new QuotaCommand(quotas),
                new DuCommand(quotas),
                new ShareCommand(shares, services.clock()),
                new UnshareCommand(shares),
                new FetchCommand(services, shares)));
        return self[0];
    }

    /** The handler of {@code verb} (upper case). */
    public Optional<Command> find(String verb) {
        return Optional.ofNullable(byVerb.get(verb));
    }

    /** Every handler, sorted by verb. */
    public Collection<Command> commands() {
        return new TreeMap<>(byVerb).values();
    }
}
