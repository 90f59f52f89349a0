package dev.netdisk.cli.command;

import dev.netdisk.cli.session.Jobs;
import dev.netdisk.cli.session.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code kill %N}: cancels a background job's transfer; its partial is kept for resume. */
@Command(name = "kill", description = "Cancel background job %N: its transfer stops and what arrived is kept, "
        + "so running the same command again resumes it.")
final class KillCommand extends Verb {

    @Parameters(paramLabel = "%N", description = "The job, as 'jobs' numbers it.")
    String job;

    @Override
    void run(Session s) {
        int id = Jobs.number(job);
        if (!JobsCommand.of(s).kill(id)) {
            s.console().out().println("job %" + id + " has already ended");
        }
    }
}
