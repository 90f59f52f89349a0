package dev.netdisk.server.admin;

import picocli.CommandLine;

/** The administration subcommands of {@code netdisk-server}, registered on its command line. */
public final class AdminCommands {

    private AdminCommands() {
    }

    /** Adds {@code stop}, {@code status}, {@code user}, {@code backup}, {@code restore}, {@code migrate} and {@code keys} to {@code main}. */
    public static CommandLine addTo(CommandLine main) {
        return main.addSubcommand(new StopCommand())
                .addSubcommand(new StatusCommand())
                .addSubcommand(new ReloadCommand())
                .addSubcommand(new UserCommand())
                .addSubcommand(new BackupCommand())
                .addSubcommand(new RestoreCommand())
                .addSubcommand(new MigrateCommand())
                .addSubcommand(new KeysCommand());
    }
}
