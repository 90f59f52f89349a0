package dev.netdisk.cli.command;

import dev.netdisk.cli.session.Session;
import dev.netdisk.cli.session.SessionProvider;
import dev.netdisk.cli.session.UsageException;
import dev.netdisk.protocol.ChatText;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of every command: finds the {@link Session} through the root command and runs. A command
 * returns normally on success and throws on failure; {@link Failures} picks the exit code.
 * picocli creates a fresh instance for every command line, so option values never leak.
 * Commands extend {@link Verb}, which adds {@code -h}/{@code --help}; one that needs {@code -h}
 * for itself ({@code ls -h}, human sizes) extends this class and declares {@code --help} alone.
 */
abstract class VerbBody implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        refuseControlCharacters();
        run(((SessionProvider) spec.root().userObject()).session());
        return ExitCode.OK.value();
    }

    abstract void run(Session session) throws Exception;

    /** Whether {@code arg}'s values may hold line breaks and TABs (a chat message); false for any other argument. */
    boolean mayHoldControlCharacters(ArgSpec arg) {
        return false;
    }

    /**
     * Refuses, before anything is sent, an argument with a control character: a path or name with a
     * line break would otherwise end the protocol line and send the rest as a second command.
     */
    private void refuseControlCharacters() {
        ParseResult parsed = spec.commandLine().getParseResult();
        if (parsed == null) {
            return;
        }
        List<ArgSpec> args = new ArrayList<>(parsed.matchedPositionals());
        args.addAll(parsed.matchedOptions());
        for (ArgSpec arg : args) {
            if (mayHoldControlCharacters(arg)) {
                continue;
            }
            for (String value : arg.stringValues()) {
                for (int i = 0; i < value.length(); i++) {
                    if (ChatText.isControl(value.charAt(i))) {
                        throw new UsageException(String.format("%s holds a control character (U+%04X): %s",
                                arg.isOption() ? ((OptionSpec) arg).longestName() : arg.paramLabel(),
                                (int) value.charAt(i), value.replaceAll("\\p{Cntrl}", "?")));
                    }
                }
            }
        }
    }
}
