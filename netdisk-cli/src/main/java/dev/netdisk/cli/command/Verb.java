package dev.netdisk.cli.command;

import dev.netdisk.cli.session.Session;
import dev.netdisk.cli.session.SessionProvider;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Base of every command: finds the {@link Session} through the root command and runs. A command
 * returns normally on success and throws on failure; {@link Failures} picks the exit code.
 * picocli creates a fresh instance for every command line, so option values never leak.
 */
abstract class Verb implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show how to use this command.")
    boolean help;

    @Override
    public final Integer call() throws Exception {
        run(((SessionProvider) spec.root().userObject()).session());
        return ExitCode.OK.value();
    }

    abstract void run(Session session) throws Exception;
}
