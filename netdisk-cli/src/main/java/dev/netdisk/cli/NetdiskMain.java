package dev.netdisk.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import picocli.CommandLine;

/** The {@code netdisk} executable: one-shot commands, batch scripts and the interactive shell. */
public final class NetdiskMain {

    private NetdiskMain() {
    }

    public static void main(String[] args) {
        Charset charset = Charset.defaultCharset();
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, charset), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, charset), true);
        System.exit(run(Env.system(), out, err, args));
    }

    /** Runs {@code netdisk} with these arguments and returns the exit code. */
    static int run(Env env, PrintWriter out, PrintWriter err, String... args) {
        NetdiskCommand root = new NetdiskCommand(env);
        CommandLine cl = commandLine(root);
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

    /** The one-shot command line around {@code root}; set its out and err before executing. */
    static CommandLine commandLine(NetdiskCommand root) {
        CommandLine cl = new CommandLine(root);
        cl.setSubcommandsCaseInsensitive(true);
        cl.setAllowSubcommandsAsOptionParameters(true);  // netdisk -c ls
        // netdisk generate-completion > netdisk_completion: bash/zsh completion of commands and options.
        CommandLine completion = new CommandLine(new picocli.AutoComplete.GenerateCompletion());
        completion.getCommandSpec().usageMessage().hidden(true);
        cl.addSubcommand("generate-completion", completion);
        return ErrorHandlers.install(cl, name -> name == null
                ? "Try 'netdisk --help' for more information."
                : "Try 'netdisk " + name + " --help' for more information.");
    }
}
