package dev.netdisk.cli;

import dev.netdisk.cli.command.Commands;
import dev.netdisk.cli.command.ErrorHandlers;
import dev.netdisk.cli.session.Env;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** The {@code netdisk} executable: one-shot commands, batch scripts and the interactive shell. */
public final class NetdiskMain {

    private NetdiskMain() {
    }

    public static void main(String[] args) {
        Charset charset = Charset.defaultCharset();
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, charset), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, charset), true);
        Env env = Env.system();
        NetdiskCommand root = new NetdiskCommand(env);
        // The shell replaces this with its own handler; a one-shot command keeps it (Interrupts).
        dev.netdisk.cli.session.Interrupts.install(root::consoleIfStarted, err);
        System.exit(run(root, out, err, args));
    }

    /** Runs {@code netdisk} with these arguments and returns the exit code. */
    static int run(Env env, PrintWriter out, PrintWriter err, String... args) {
        return run(new NetdiskCommand(env), out, err, args);
    }

    private static int run(NetdiskCommand root, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine(root, args);
        cl.setOut(out);
        cl.setErr(err);
        try {
            return cl.execute(args);
        } finally {
            root.close();
            out.flush();
            err.flush();
        }
    }

    /**
     * The one-shot command line around {@code root} for {@code args}; set its out and err before
     * executing. When {@code args} name a subcommand (other than {@code help}), only that one is
     * built: picocli reads every option of every subcommand it is given, most of a one-shot
     * command's start (docs/PERFORMANCE.md, "Why the code is shaped this way"). Otherwise (no subcommand,
     * {@code help}, a name it does not know, an option it cannot skip) all are, as help and the
     * error messages need.
     */
    static CommandLine commandLine(NetdiskCommand root, String... args) {
        CommandLine cl = new CommandLine(root);
        cl.setSubcommandsCaseInsensitive(true);
        cl.setAllowSubcommandsAsOptionParameters(true);  // netdisk -c ls
        Class<?> only = named(cl.getCommandSpec(), args);
        Commands.addSubcommands(cl, NetdiskCommand.SUBCOMMANDS, only);
        if (only == null) {
            // netdisk generate-completion > netdisk_completion: bash/zsh completion of commands and options.
            CommandLine completion = new CommandLine(new picocli.AutoComplete.GenerateCompletion());
            completion.getCommandSpec().usageMessage().hidden(true);
            cl.addSubcommand("generate-completion", completion);
        }
        return ErrorHandlers.install(cl, name -> name == null
                ? "Try 'netdisk --help' for more information."
                : "Try 'netdisk " + name + " --help' for more information.");
    }

    /**
     * The subcommand {@code args} run, found without parsing them: the first word that is not one
     * of the root's options or an option's value. Null when there is none, when it is
     * {@code help} or unknown, or when an option is not one the root has (such as clustered
     * short options).
     */
    private static Class<?> named(CommandSpec root, String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("-") || arg.equals("-")) {
                Class<?> command = Commands.find(NetdiskCommand.SUBCOMMANDS, arg);
                return command == CommandLine.HelpCommand.class ? null : command;
            }
            int equals = arg.indexOf('=');
            OptionSpec option = root.findOption(equals < 0 ? arg : arg.substring(0, equals));
            if (option == null || option.arity().max() != option.arity().min()) {
                return null;
            }
            if (equals < 0) {
                i += option.arity().max();
            }
        }
        return null;
    }
}
