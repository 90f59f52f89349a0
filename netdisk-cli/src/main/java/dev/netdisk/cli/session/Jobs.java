package dev.netdisk.cli.session;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The shell's background jobs, as lftp has them: {@code upload ... &} runs the command on a thread
 * of its own with a {@linkplain Session#forJob session of its own} (its own connection, logged in
 * with the shell's token, so the shell's connection stays free for chat, {@code ls} and other
 * transfers), its output kept and its end told in one line. {@code jobs} lists them with the
 * running transfer's progress, {@code wait} waits, {@code kill} cancels (a partial is kept for
 * resume, as after Ctrl-C). A finished job stays listed until {@code jobs} or {@code wait} has
 * shown it.
 *
 * <p>Thread-safe: the shell's thread starts and lists jobs, each job's thread ends its own.
 */
public final class Jobs {

    /** Runs one command line (its words) on a session; returns its exit code. */
    @FunctionalInterface
    public interface Runner {
        int run(Session session, List<String> words);
    }

    /**
     * What one job is doing.
     *
     * @param id       its number, from 1, for {@code %N}
     * @param command  the command line, without the {@code &}
     * @param exitCode null while it runs
     * @param transfer where its latest transfer is, or null before one started
     */
    public record Status(int id, String command, Integer exitCode, Console.TransferState transfer) {
    }

    /** The exit codes a job's end is told by (command.ExitCode's OK, FAILURE, CANCELLED; docs/CLI.md). */
    private static final int OK = 0;
    private static final int FAILURE = 1;
    private static final int CANCELLED = 130;

    private final Session parent;
    private final Runner runner;
    private final Consumer<String> report;
    private final Map<Integer, Job> jobs = new TreeMap<>();
    private int next = 1;

    /**
     * @param report where a finished job's one line goes (above the prompt); any thread
     */
    public Jobs(Session parent, Runner runner, Consumer<String> report) {
        this.parent = parent;
        this.runner = runner;
        this.report = report;
    }

    private static final class Job {
        final int id;
        final String command;
        final Session session;
        final CompletableFuture<Integer> done = new CompletableFuture<>();

        Job(int id, String command, Session session) {
            this.id = id;
            this.command = command;
            this.session = session;
        }
    }

    /**
     * Starts {@code words} in the background.
     *
     * @return the job's number
     * @throws NotLoggedInException the shell is not logged in (a job logs in with its token)
     */
    public int start(List<String> words) throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Session session = parent.forJob(new PrintWriter(out, true), new PrintWriter(err, true));
        Job job;
        synchronized (this) {
            job = new Job(next++, String.join(" ", words), session);
            jobs.put(job.id, job);
        }
        Thread thread = new Thread(() -> run(job, words, out, err), "netdisk-job-" + job.id);
        thread.setDaemon(true);
        thread.start();
        return job.id;
    }

    private void run(Job job, List<String> words, StringWriter out, StringWriter err) {
        int code;
        try {
            code = runner.run(job.session, words);
        } catch (RuntimeException e) {
            err.write("netdisk: " + e + "\n");
            code = FAILURE;
        } finally {
            job.session.close();
        }
        String line = "[" + job.id + "] ";
        if (code == OK) {
            line += "done: " + job.command + lastLine(out.toString()).map(l -> ": " + l).orElse("");
        } else if (code == CANCELLED) {
            line += "killed: " + job.command + "; a partial transfer is kept: run it again to resume";
        } else {
            line += "failed: " + job.command + lastLine(err.toString()).map(l -> ": " + l.replaceFirst("^netdisk: ", ""))
                    .orElse(" (exit code " + code + ")");
        }
        try {
            report.accept(line);
        } catch (RuntimeException e) {
            // the shell has left and its terminal is gone: nobody is there to tell
        } finally {
            job.done.complete(code);
        }
    }

    private static Optional<String> lastLine(String text) {
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? Optional.empty() : Optional.of(lines.get(lines.size() - 1));
    }

    /** Every job, by number; the finished ones are then forgotten (they have been shown). */
    public synchronized List<Status> list() {
        List<Status> all = new ArrayList<>();
        for (Job j : jobs.values()) {
            all.add(status(j));
        }
        jobs.values().removeIf(j -> j.done.isDone());
        return all;
    }

    private static Status status(Job j) {
        return new Status(j.id, j.command, j.done.getNow(null), j.session.console().transfer());
    }

    /** Whether any job runs. */
    public synchronized boolean running() {
        return jobs.values().stream().anyMatch(j -> !j.done.isDone());
    }

    /**
     * The end of job {@code id} (every job's when null), to wait on; the jobs it covers are
     * forgotten once it completes.
     *
     * @throws UsageException there is no such job
     */
    public synchronized CompletableFuture<Void> ended(Integer id) {
        List<Job> which = new ArrayList<>();
        if (id == null) {
            which.addAll(jobs.values());
        } else if (jobs.containsKey(id)) {
            which.add(jobs.get(id));
        } else {
            throw new UsageException("no job %" + id + " ('jobs' lists them)");
        }
        return CompletableFuture.allOf(which.stream().map(j -> j.done).toArray(CompletableFuture[]::new))
                .thenRun(() -> forget(which));
    }

    private synchronized void forget(List<Job> which) {
        which.forEach(j -> jobs.remove(j.id));
    }

    /**
     * Cancels job {@code id}'s transfers (its partial is kept for resume); it ends with one line.
     *
     * @return whether it was still running
     * @throws UsageException there is no such job
     */
    public synchronized boolean kill(int id) {
        Job j = jobs.get(id);
        if (j == null) {
            throw new UsageException("no job %" + id + " ('jobs' lists them)");
        }
        if (j.done.isDone()) {
            return false;
        }
        j.session.console().kill();
        return true;
    }

    /** Kills every running job (the shell is leaving); returns how many there were. */
    public synchronized int killAll() {
        int n = 0;
        for (Job j : jobs.values()) {
            if (!j.done.isDone()) {
                j.session.console().kill();
                n++;
            }
        }
        return n;
    }

    /** Parses {@code %N} (or {@code N}) into N. */
    public static int number(String spec) {
        String digits = spec.startsWith("%") ? spec.substring(1) : spec;
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new UsageException("a job is %N, as 'jobs' lists it: " + spec);
        }
    }
}
