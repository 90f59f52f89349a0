package dev.netdisk.cli.bench;

import dev.netdisk.cli.client.tls.ClientTls;
import dev.netdisk.cli.client.tls.TlsOptions;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code netdisk bench WORKLOAD}: a load generator in the manner of redis-benchmark. It registers
 * its own users (random prefix), prepares its fixtures, drives the server through the client
 * library (plain sockets where a thread per connection would measure the client instead), prints
 * ops/s, MiB/s, latency percentiles and errors (or JSON), and removes what it created.
 *
 * <p>How to run it and what was measured: docs/PERFORMANCE.md.
 */
@Command(name = "bench", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Load-test a running server (see docs/PERFORMANCE.md). Registers its own users, "
                + "prepares and removes its own files.",
                "WORKLOAD: login, noop, ls, stat, chat, group-chat, upload, download, small-files, idle."},
        footer = {"", "Exit codes: 0 no errors; 1 some operations failed; 3 cannot connect; "
                + "5/6 a setup step was refused (6: by a server limit; the line says which setting lifts it)."})
public final class BenchCommand implements Callable<Integer> {

    static final int EXIT_OK = 0;
    static final int EXIT_ERRORS = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_CONNECTION = 3;
    static final int EXIT_REFUSED = 5;
    static final int EXIT_TRANSIENT = 6;

    /** The workloads, with their default requests and size. */
    public enum Kind {
        LOGIN("login", 1_000, 0),
        NOOP("noop", 10_000, 0),
        LS("ls", 200, 4096),
        STAT("stat", 20_000, 4096),
        CHAT("chat", 1_000, 64),
        GROUP_CHAT("group-chat", 1_000, 64),
        UPLOAD("upload", 20, 64L << 20),
        DOWNLOAD("download", 20, 64L << 20),
        SMALL_FILES("small-files", 2_000, 4096),
        IDLE("idle", 0, 0);

        private final String label;
        private final long defaultRequests;
        private final long defaultSize;

        Kind(String label, long defaultRequests, long defaultSize) {
            this.label = label;
            this.defaultRequests = defaultRequests;
            this.defaultSize = defaultSize;
        }

        String label() {
            return label;
        }

        static Kind of(String text) {
            for (Kind k : values()) {
                if (k.label.equalsIgnoreCase(text)) {
                    return k;
                }
            }
            return null;
        }
    }

    @Parameters(index = "0", paramLabel = "WORKLOAD",
            description = "login | noop | ls | stat | chat | group-chat | upload | download | small-files | idle")
    String workload;

    @Option(names = {"-c", "--clients"}, paramLabel = "N", defaultValue = "8",
            description = "Concurrent clients, one connection each (idle: connections to hold). Default: ${DEFAULT-VALUE}.")
    int clients;

    @Option(names = {"-n", "--requests"}, paramLabel = "N",
            description = "Operations in all (default depends on the workload; idle: --clients).")
    Long requests;

    @Option(names = "--duration", paramLabel = "TIME", converter = Sizes.DurationConverter.class,
            description = "Run for this long instead (30s, 2m); idle: how long to hold the connections (default 5s).")
    Duration duration;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "0",
            description = "Operations per client (chat: rounds of one ping per pair) run before the clock starts and "
                    + "left out of the results (JIT, the server's page cache), as JMH warms up; not for group-chat and "
                    + "idle. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--size", paramLabel = "BYTES", converter = Sizes.SizeConverter.class,
            description = "File size for upload, download, small-files, stat, ls (4K, 64M, 1G); "
                    + "message size for chat and group-chat (at most 4096).")
    Long size;

    @Option(names = "--file", paramLabel = "FILE",
            description = "Upload this local file (upload, download's fixture) instead of generating one of --size.")
    Path file;

    @Option(names = "--rate", paramLabel = "MSGS", defaultValue = "10",
            description = "chat, group-chat: messages per second per sender (a server allows 10 per user unless its "
                    + "chat-per-second says otherwise); noop: round trips per second per client (0: unpaced). "
                    + "Default: ${DEFAULT-VALUE}.")
    double rate;

    @Option(names = "--senders", paramLabel = "N",
            description = "group-chat: how many members send (default: all).")
    int senders;

    @Option(names = "--entries", paramLabel = "N", defaultValue = "10000",
            description = "ls: entries in the listed directory. Default: ${DEFAULT-VALUE}.")
    int entries;

    @Option(names = "--server-pid", paramLabel = "PID",
            description = "The server's pid (same machine): idle reports its memory (VmRSS) before and after.")
    long serverPid;

    @Option(names = "--tls",
            description = "Every connection over TLS (AUTH TLS), trusted as the client trusts: known hosts, "
                    + "--fingerprint, --ca-file. Without it the bench runs in clear (from loopback only).")
    boolean tls;

    @Option(names = "--listen",
            description = "idle: every connection LISTENs and sends the heartbeat (NOOP) the server asks for while held; "
                    + "with --server-pid the server's CPU time over the hold is reported.")
    boolean listen;

    @Option(names = "--token-login",
            description = "login: LOGIN TOKEN instead of a password (no hash, no new session token).")
    boolean tokenLogin;

    @Option(names = "--local-dir", paramLabel = "DIR",
            description = "Where generated and downloaded files go (default: the temp directory).")
    Path localDir;

    @Option(names = "--json", description = "Print the result as one JSON object.")
    boolean json;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show how to use this command.")
    boolean help;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Kind kind = Kind.of(workload);
        if (kind == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "unknown workload: " + workload
                    + " (login, noop, ls, stat, chat, group-chat, upload, download, small-files, idle)");
        }
        BenchOptions options = options(kind);
        String host = inherited("--host", System.getenv("NETDISK_HOST"), "localhost");
        int port = Integer.parseInt(inherited("--port", System.getenv("NETDISK_PORT"), "2121"));
        boolean quiet = Boolean.parseBoolean(inherited("--quiet", null, "false"));
        Bench bench = new Bench(host, port, options, quiet ? null : err);
        if (tls) {
            String pinned = inherited("--fingerprint", null, null);
            String ca = inherited("--ca-file", null, null);
            bench.useTls(ClientTls.of(TlsOptions.defaults().withFingerprint(pinned)
                    .withCaFile(ca == null ? null : java.nio.file.Path.of(ca))));
        }
        Workload w = kind == Kind.IDLE ? new IdleWorkload(listen) : create(kind);
        try {
            long setupStart = System.nanoTime();
            w.setup(bench);
            String setup = describe(options, w.threads(options.clients()), (System.nanoTime() - setupStart) / 1e9);
            long n = kind == Kind.IDLE ? options.clients() : options.requests();
            Duration d = kind == Kind.IDLE ? null : options.duration();
            int threads = w.threads(options.clients());
            long warmBytes = 0;
            // The warm-up's operations are shared out on demand, so one thread may run more than its
            // share: the timed run numbers from the warm-up's total, past any name it used.
            long warmRequests = warmup > 0 ? w.warmupRequests(warmup, options.clients()) : 0;
            if (warmup > 0) {
                Runner.Outcome warm = Runner.run(w, threads, warmRequests, null, 0);
                if (warm.errors() > 0) {
                    throw BenchAbort.of("warming up", new java.io.IOException(warm.errorSamples().keySet().iterator().next()));
                }
                w.afterWarmup();
                warmBytes = w.bytes();
            }
            Runner.Outcome outcome = Runner.run(w, threads, n, d, warmRequests);
            try {
                w.afterRun(bench);
            } catch (Exception e) {
                Map<String, Long> samples = new LinkedHashMap<>(outcome.errorSamples());
                samples.merge(String.valueOf(e.getMessage()), 1L, Long::sum);
                outcome = new Runner.Outcome(outcome.ops(), outcome.errors() + 1, outcome.seconds(),
                        outcome.latency(), samples);
            }
            org.HdrHistogram.Histogram own = w.latency();
            if (own != null) {
                outcome = new Runner.Outcome(outcome.ops(), outcome.errors(), outcome.seconds(), own,
                        outcome.errorSamples());
            }
            Report report = new Report(options, setup, outcome, w.bytes() - warmBytes,
                    w.extra(outcome.seconds(), outcome.ops()));
            if (json) {
                report.printJson(out);
            } else {
                report.printText(out);
            }
            out.flush();
            return exitCode(report, err);
        } catch (BenchAbort e) {
            err.println("netdisk: bench: " + e.getMessage());
            return e.exitCode();
        } catch (Exception e) {
            BenchAbort abort = BenchAbort.of("setting up " + kind.label(), e);
            err.println("netdisk: bench: " + abort.getMessage());
            return abort.exitCode();
        } finally {
            w.cleanup(bench);
            err.flush();
        }
    }

    private BenchOptions options(Kind kind) {
        if (clients < 1 || (kind == Kind.CHAT && clients < 2) || (kind == Kind.GROUP_CHAT && clients < 2)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--clients must be at least " + (kind == Kind.CHAT || kind == Kind.GROUP_CHAT ? 2 : 1));
        }
        if (requests != null && requests < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--requests must be at least 1");
        }
        if (warmup < 0 || (warmup > 0 && (kind == Kind.GROUP_CHAT || kind == Kind.IDLE))) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--warmup must be at least 0, and is not for group-chat or idle");
        }
        if (kind == Kind.LS && entries < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--entries must be at least 1");
        }
        long n = requests != null ? requests : duration != null ? 0 : kind.defaultRequests;
        long s = size != null ? size : kind.defaultSize;
        Path dir = localDir != null ? localDir : Path.of(System.getProperty("java.io.tmpdir"));
        return new BenchOptions(kind, clients, n, duration, s, rate, senders, entries, file, serverPid, tokenLogin, dir);
    }

    private static Workload create(Kind kind) {
        return switch (kind) {
            case LOGIN -> new LoginWorkload();
            case NOOP -> new NoopWorkload();
            case CHAT -> new PairChatWorkload();
            case GROUP_CHAT -> new GroupChatWorkload();
            case IDLE -> new IdleWorkload(false);
            default -> new FileWorkload(kind);
        };
    }

    private static String describe(BenchOptions o, int threads, double setupSeconds) {
        String what = switch (o.workload()) {
            case UPLOAD, DOWNLOAD, SMALL_FILES, STAT -> "file " + Sizes.human(o.file() != null ? fileSize(o.file()) : o.size());
            case LS -> o.entries() + " entries per listing";
            case CHAT, GROUP_CHAT -> "message " + Math.min(o.size(), 4096) + " bytes, " + threads + " senders at "
                    + o.rate() + " msg/s each";
            case NOOP -> "NOOP round trips, " + (o.rate() > 0 ? o.rate() + " per second per client" : "unpaced");
            case LOGIN -> o.tokenLogin() ? "LOGIN TOKEN" : "LOGIN with password + LOGOUT";
            case IDLE -> o.clients() + " connections opened by " + threads + " threads";
        };
        return String.format(Locale.ROOT, "%s; setup %.1f s", what, setupSeconds);
    }

    private static long fileSize(Path p) {
        try {
            return java.nio.file.Files.size(p);
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    /**
     * The value of an option of the root command ({@code --host}, {@code --port}, {@code --quiet}:
     * scope INHERIT, so they may stand before or after {@code bench}), else the environment, else
     * the default.
     */
    private String inherited(String name, String env, String fallback) {
        OptionSpec option = spec.findOption(name);
        Object value = option == null ? null : option.getValue();
        if (value != null && !(value instanceof Boolean b && !b)) {
            return value.toString();
        }
        return env != null && !env.isBlank() ? env.trim() : fallback;
    }

    private static int exitCode(Report report, PrintWriter err) {
        if (report.errors() == 0) {
            return EXIT_OK;
        }
        for (String message : report.errorSamples().keySet()) {
            String fix = LimitHint.fixFor(message);
            if (fix != null) {
                err.println("netdisk: bench: operations refused by a server limit: " + message + "; " + fix
                        + " (see docs/PERFORMANCE.md)");
                return EXIT_TRANSIENT;
            }
        }
        return EXIT_ERRORS;
    }
}
