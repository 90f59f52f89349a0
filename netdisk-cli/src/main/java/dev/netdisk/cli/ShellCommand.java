package dev.netdisk.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code netdisk shell}: the interactive shell, the same as {@code netdisk} with no command. */
@Command(name = "shell", description = "Open the interactive shell (the default with no command).")
final class ShellCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return new Shell(((SessionProvider) spec.root().userObject()).session()).run();
    }
}
