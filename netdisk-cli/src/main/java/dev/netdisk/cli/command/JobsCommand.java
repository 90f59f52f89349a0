package dev.netdisk.cli.command;

import dev.netdisk.cli.session.Console;
import dev.netdisk.cli.session.Jobs;
import dev.netdisk.cli.session.Session;
import dev.netdisk.cli.session.UsageException;
import java.util.Locale;
import picocli.CommandLine.Command;

/** {@code jobs}: the shell's background jobs, with the progress of each one's transfer. */
@Command(name = "jobs", description = {"List the background jobs (started with '&' at the end of an upload, download "
        + "or sync line in the shell): number, state, command and the running transfer's progress."})
final class JobsCommand extends Verb {

    @Override
    void run(Session s) {
        Jobs jobs = of(s);
        for (Jobs.Status j : jobs.list()) {
            String state = j.exitCode() == null ? "running" : j.exitCode() == 0 ? "done"
                    : j.exitCode() == ExitCode.CANCELLED.value() ? "killed" : "failed (exit " + j.exitCode() + ")";
            s.console().out().println("[" + j.id() + "] " + state + "  " + j.command() + progress(j));
        }
    }

    /** The shell's jobs; a batch or a one-shot command has none. */
    static Jobs of(Session s) {
        Jobs jobs = s.jobs();
        if (jobs == null) {
            throw new UsageException("background jobs exist only in the interactive shell");
        }
        return jobs;
    }

    private static String progress(Jobs.Status j) {
        Console.TransferState t = j.transfer();
        if (j.exitCode() != null || t == null) {
            return "";
        }
        if (t.size() <= 0) {
            return "  " + t.name() + " " + Format.humanSize(t.position());
        }
        return String.format(Locale.ROOT, "  %s %d%% (%s of %s)", t.name(), t.position() * 100 / t.size(),
                Format.humanSize(t.position()), Format.humanSize(t.size()));
    }
}
