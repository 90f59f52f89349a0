package dev.netdisk.cli.command;

import java.util.List;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Prints every failure as one line on stderr, {@code netdisk: COMMAND: message}, and returns the
 * exit code {@link Failures} chose. Usage errors add one hint line.
 */
public final class ErrorHandlers implements IExecutionExceptionHandler, IParameterExceptionHandler {

    private final Function<String, String> helpHint;

    /** @param helpHint how to get help for a command name ({@code null} for the root) */
    private ErrorHandlers(Function<String, String> helpHint) {
        this.helpHint = helpHint;
    }

    public static CommandLine install(CommandLine cl, Function<String, String> helpHint) {
        ErrorHandlers h = new ErrorHandlers(helpHint);
        cl.setExecutionExceptionHandler(h);
        cl.setParameterExceptionHandler(h);
        return cl;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parseResult) {
        Failures.Failure f = Failures.of(ex);
        String where = cl.getParent() == null ? "" : cl.getCommandName() + ": ";
        cl.getErr().println("netdisk: " + where + f.message());
        cl.getErr().flush();
        return f.code().value();
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        String name = cl.getCommandName();
        boolean root = cl.getParent() == null;
        // An unknown word at the root is a mistyped command: the one-shot ones are what could be meant
        // (the shell finds its unknown commands before picocli, LineCommands.execute).
        List<Class<?>> known = Commands.ONE_SHOT;
        cl.getErr().println("netdisk: " + (root || name.isEmpty() ? "" : name + ": ") + PlainLanguage.parseError(ex, known));
        cl.getErr().println(helpHint.apply(root || name.isEmpty() ? null : name));
        cl.getErr().flush();
        return ExitCode.USAGE.value();
    }
}
