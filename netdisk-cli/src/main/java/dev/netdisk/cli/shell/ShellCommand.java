package dev.netdisk.cli.shell;

import dev.netdisk.cli.session.SessionProvider;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code netdisk shell}: the interactive shell, the same as {@code netdisk} with no command. */
@Command(name = "shell", description = "Open the interactive shell (the default with no command).")
public final class ShellCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return new Shell(((SessionProvider) spec.root().userObject()).session()).run();
    }
}
