package dev.netdisk.cli.command;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command classes, in the order help lists them, and how to find one by name without building
 * it. The classes themselves stay package-private: picocli builds them by reflection.
 */
public final class Commands {

    /** The commands one-shot, in batches and in the shell alike. */
    public static final List<Class<?>> SHARED = List.of(
            RegisterCommand.class, LoginCommand.class, LogoutCommand.class, PasswdCommand.class,
            PwdCommand.class, CdCommand.class, LsCommand.class, MakedirCommand.class, StatCommand.class,
            UploadCommand.class, DownloadCommand.class, CatCommand.class, SyncCommand.class,
            RmCommand.class, RmdirCommand.class, MvCommand.class, CpCommand.class, DuCommand.class, QuotaCommand.class,
            TrashCommand.class, ShareCommand.class, SharesCommand.class, UnshareCommand.class, LinkCommand.class,
            LinksCommand.class, UnlinkCommand.class, FetchCommand.class,
            ChatCommand.class, FriendCommand.class, WhoCommand.class, UsersCommand.class, GroupCommand.class,
            HistoryCommand.class, UnreadCommand.class);

    /** The one-shot commands of this package: the shared ones, then {@code listen}. */
    public static final List<Class<?>> ONE_SHOT = Stream.concat(SHARED.stream(), Stream.of(ListenCommand.class)).toList();

    /**
     * What one line of the shell or of a batch script may run: the shared commands plus the local
     * ones ({@code lcd}, {@code lpwd}, {@code lls}), {@code help} and {@code exit}.
     */
    public static final List<Class<?>> LINE = Stream.concat(SHARED.stream(), Stream.of(
            LcdCommand.class, LpwdCommand.class, LlsCommand.class, JobsCommand.class, WaitCommand.class, KillCommand.class,
            HelpCommand.class, ExitCommand.class)).toList();

    private Commands() {
    }

    /** Whether {@code command} is the line command {@code help}, which needs every command built. */
    public static boolean isLineHelp(Class<?> command) {
        return command == HelpCommand.class;
    }

    /** Adds {@code only} to {@code cl}, or every one of {@code commands} when it is null, in their order. */
    public static void addSubcommands(CommandLine cl, List<Class<?>> commands, Class<?> only) {
        for (Class<?> command : commands) {
            if (only == null || command == only) {
                cl.addSubcommand(command);
            }
        }
    }

    /**
     * The command of {@code commands} named {@code word} (its {@code @Command} name or an alias,
     * in any case), or null. Reads the annotations only: nothing is built.
     */
    public static Class<?> find(List<Class<?>> commands, String word) {
        for (Class<?> candidate : commands) {
            Command command = candidate.getAnnotation(Command.class);
            if (command.name().equalsIgnoreCase(word) || Arrays.stream(command.aliases()).anyMatch(word::equalsIgnoreCase)) {
                return candidate;
            }
        }
        return null;
    }
}
