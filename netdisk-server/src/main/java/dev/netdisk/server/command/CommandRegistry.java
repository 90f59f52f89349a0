package dev.netdisk.server.command;

import dev.netdisk.server.auth.LoginThrottle;
import dev.netdisk.server.auth.RateLimiter;
import dev.netdisk.server.chat.ChatService;
import dev.netdisk.server.chat.FriendStore;
import dev.netdisk.server.chat.GroupStore;
import dev.netdisk.server.chat.MessageStore;
import dev.netdisk.server.config.Limits;
import dev.netdisk.server.config.ServerConfig;
import dev.netdisk.server.session.Presence;
import dev.netdisk.server.store.BlobStore;
import dev.netdisk.server.store.FileEdits;
import dev.netdisk.server.store.FileTree;
import dev.netdisk.server.store.PartialUploads;
import dev.netdisk.server.store.Quotas;
import dev.netdisk.server.store.ShareGrants;
import dev.netdisk.server.store.ShareLinks;
import dev.netdisk.server.store.Trash;
import dev.netdisk.server.store.UserStore;
import dev.netdisk.server.transfer.Tickets;
import dev.netdisk.server.transfer.TransferParts;
import dev.netdisk.server.transfer.TransferPools;
import dev.netdisk.server.transfer.UploadAdmission;
import dev.netdisk.server.transfer.UploadCommits;
import java.time.Clock;
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

    /**
     * The built parts the handlers are wired to: built once, by the server ({@code app}); each
     * handler is given only the parts it uses. Every part is thread-safe.
     *
     * @param chatRate      chat messages per user
     * @param loginThrottle failed logins per user name and address
     * @param registrations new accounts per address
     * @param commits       the last step of every upload: durable, then visible, committed in groups
     * @param pools         where the blocking work of transfers runs
     */
    public record Parts(
            ServerConfig config,
            Clock clock,
            UserStore users,
            FileTree tree,
            BlobStore blobs,
            PartialUploads partials,
            Quotas quotas,
            Trash trash,
            FileEdits edits,
            ShareGrants grants,
            ShareLinks links,
            Tickets tickets,
            Presence presence,
            ChatService chat,
            FriendStore friends,
            GroupStore groups,
            MessageStore messages,
            RateLimiter<Long> chatRate,
            LoginThrottle loginThrottle,
            RateLimiter<String> registrations,
            UploadCommits commits,
            TransferPools pools) {
    }

    /** Every command of protocol version 1, wired to {@code parts}. */
    public static CommandRegistry create(Parts parts) {
        Limits limits = parts.config().limits();
        IssueTicket issuer = new IssueTicket(parts.tickets(), parts.clock(), parts.config().ticketTtl(),
                limits.maxTicketsPerUser());
        FileTree tree = parts.tree();
        ChatService chat = parts.chat();
        UploadAdmission admission = new UploadAdmission(tree, parts.quotas());
        TransferParts transfers = new TransferParts(tree, parts.blobs(), parts.partials(), parts.tickets(),
                parts.commits(), parts.pools(), admission);
        CommandRegistry[] self = new CommandRegistry[1];
        self[0] = new CommandRegistry(List.of(
                new NoopCommand(),
                new AuthCommand(parts.config().tls().enabled()),
                new QuitCommand(),
                new HelpCommand(() -> self[0]),
                new RegisterCommand(parts.users(), parts.registrations(), limits),
                new LoginCommand(parts.users(), parts.presence(), chat, parts.config().tokenTtl(),
                        parts.loginThrottle(), limits),
                new LogoutCommand(parts.users(), parts.presence(), parts.tickets().revocations()),
                new PasswdCommand(parts.users(), parts.presence(), parts.tickets().revocations(), parts.loginThrottle()),
                new PwdCommand(),
                new CdCommand(tree),
                new LsCommand(tree),
                new MakedirCommand(tree, parts.quotas(), "MAKEDIR"),
                new MakedirCommand(tree, parts.quotas(), "MKDIR"),
                new StatCommand(tree),
                new UploadCommand(parts.blobs(), parts.partials(), parts.tickets(), issuer, admission),
                new DownloadCommand(tree, issuer),
                new DataCommand(transfers, limits),
                new BatchCommand(issuer),
                new ChatCommand(chat, parts.users(), parts.chatRate(), limits),
                new FriendCommand(chat, parts.presence(), parts.users(), parts.friends(), parts.tickets().revocations()),
                new UsersCommand(parts.users()),
                new WhoCommand(parts.presence(), parts.friends()),
                new GroupCommand(chat, parts.presence(), parts.users(), parts.groups()),
                new HistoryCommand(parts.users(), parts.groups(), parts.messages()),
                new ListenCommand(chat, parts.presence(), limits),
                new UnreadCommand(parts.messages()),
                new ReadCommand(chat, parts.users(), parts.groups(), parts.messages()),
                new RmCommand(parts.trash()),
                new RmdirCommand(parts.trash()),
                new MvCommand(parts.edits(), "MV"),
                new MvCommand(parts.edits(), "RENAME"),
                new CopyCommand(parts.edits()),
                new TrashCommand(parts.trash()),
                new QuotaCommand(parts.quotas()),
                new DuCommand(parts.quotas()),
                new ShareCommand(parts.grants(), parts.links(), parts.clock()),
                new UnshareCommand(parts.grants(), parts.links(), parts.tickets().revocations()),
                new FetchCommand(issuer, parts.links())));
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
