package dev.netdisk.cli.command;

import dev.netdisk.cli.client.Cancellation;
import dev.netdisk.cli.session.Jobs;
import dev.netdisk.cli.session.Session;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code wait [%N]}: waits for a background job, or for all; Ctrl-C stops waiting (the job goes on). */
@Command(name = "wait", description = "Wait until background job %N ends (every job without %N); Ctrl-C stops "
        + "waiting, not the job.")
final class WaitCommand extends Verb {

    @Parameters(arity = "0..1", paramLabel = "%N", description = "The job, as 'jobs' numbers it.")
    String job;

    @Override
    void run(Session s) throws Exception {
        Jobs jobs = JobsCommand.of(s);
        CompletableFuture<Void> ended = jobs.ended(job == null ? null : Jobs.number(job));
        Cancellation ctrlC = s.console().cancellation();
        while (!ctrlC.isCancelled()) {
            try {
                // A bounded wait, so that Ctrl-C (which cancels this handle) is seen within a moment.
                ended.get(100, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                // still running
            } catch (ExecutionException e) {
                return;  // the job said how it ended, above the prompt
            }
        }
        s.console().info("netdisk: stopped waiting; the job goes on ('jobs' shows it)");
    }
}
