package dev.netdisk.server.admin;

import dev.netdisk.server.config.ConfigException;
import dev.netdisk.server.ops.ExitCode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * Base of the administration commands: their shared options, and one place that turns their
 * failures into one line on stderr and an exit code.
 */
abstract class AdminCommand implements Callable<Integer> {

    @CommandLine.Mixin
    AdminOptions admin;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        try {
            return run(spec.commandLine().getOut());
        } catch (ConfigException e) {
            err().println("netdisk-server: " + e.getMessage());
            return ExitCode.USAGE.code();
        } catch (AdminException e) {
            err().println("netdisk-server " + spec.qualifiedName(" ").replace("netdisk-server ", "") + ": " + e.getMessage());
            return ExitCode.FAILURE.code();
        } finally {
            spec.commandLine().getOut().flush();
        }
    }

    /** Does the work; returns the exit code. */
    abstract int run(PrintWriter out) throws Exception;

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
