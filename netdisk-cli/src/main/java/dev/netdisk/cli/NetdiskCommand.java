package dev.netdisk.cli;

import dev.netdisk.cli.command.Commands;
import dev.netdisk.cli.session.ConnectionOptions;
import dev.netdisk.cli.session.Env;
import dev.netdisk.cli.session.Session;
import dev.netdisk.cli.session.SessionProvider;
import dev.netdisk.cli.session.Settings;
import dev.netdisk.cli.shell.CommandSplitter;
import dev.netdisk.cli.shell.LineCommands;
import dev.netdisk.cli.shell.Shell;
import dev.netdisk.cli.shell.ShellCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code netdisk}: the root of the one-shot command line. With a command it runs that command;
 * with {@code -c} or {@code -f} it runs a batch script; with neither it opens the shell.
 */
@Command(name = "netdisk", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"A command-line network drive.",
                "With no command (or 'shell') it opens an interactive shell. With -c or -f it runs a batch of "
                        + "commands in one connection and stops at the first failure."},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  success", "  1  unexpected failure", "  2  usage error", "  3  connection failure",
                "  4  authentication failure (530, no credentials)", "  5  refused by the server (5xx)",
                "  6  refused for now by the server (4xx): retry later", "  7  integrity failure (MD5 mismatch)",
                "  8  local file error", "  9  locked out for a while after too many failed logins",
                " 10  account disabled by the administrator", "130  cancelled",
                "",
                "Environment: NETDISK_HOST, NETDISK_PORT, NETDISK_USER, NETDISK_PASSWORD, NETDISK_CONFIG_DIR.",
                "See docs/CLI.md for details."})
final class NetdiskCommand implements Callable<Integer>, SessionProvider {

    /**
     * The subcommands, in the order help lists them. Added by {@link NetdiskMain#commandLine}, not
     * by the annotation: a one-shot command builds only the one it runs.
     */
    static final List<Class<?>> SUBCOMMANDS = Stream.concat(Commands.ONE_SHOT.stream(), Stream.of(
            dev.netdisk.cli.bench.BenchCommand.class, ShellCommand.class,
            CommandLine.HelpCommand.class)).toList();

    @Mixin
    ConnectionOptions connection;

    @Option(names = {"-c", "--command"}, paramLabel = "COMMANDS",
            description = "Run these commands (separated by ';') in one connection, stop at the first failure.")
    String commands;

    @Option(names = {"-f", "--file"}, paramLabel = "SCRIPT",
            description = "Run the commands in SCRIPT (one per line, '#' comments; '-' for stdin), stop at the first failure.")
    Path script;

    @Spec
    CommandSpec spec;

    private final Env env;
    private volatile Session session;

    NetdiskCommand(Env env) {
        this.env = env;
    }

    @Override
    public Session session() {
        if (session == null) {
            session = new Session(env, Settings.resolve(connection, env), spec.commandLine().getOut(),
                    spec.commandLine().getErr());
        }
        return session;
    }

    /** The session's console, or {@code null} before the session exists; safe from any thread (Ctrl-C). */
    dev.netdisk.cli.session.Console consoleIfStarted() {
        Session s = session;
        return s == null ? null : s.console();
    }

    @Override
    public Integer call() throws IOException {
        if (commands != null && script != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give -c or -f, not both");
        }
        if (commands != null) {
            return runBatch(commands);
        }
        if (script != null) {
            String text = script.toString().equals("-")
                    ? new String(env.stdin().readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(env.workingDir().resolve(script), StandardCharsets.UTF_8);
            return runBatch(text);
        }
        return new Shell(session()).run();
    }

    private int runBatch(String text) {
        List<List<String>> parsed = CommandSplitter.split(text);
        return LineCommands.executeAll(session(), parsed);
    }

    /** Closes the connection, revoking a session that a password login opened and nobody saved. */
    void close() {
        if (session != null) {
            session.close();
        }
    }
}
