package dev.netdisk.cli.bench;

import dev.netdisk.cli.client.tls.ClientTls;

import dev.netdisk.cli.client.EventListener;
import dev.netdisk.cli.client.LoginResult;
import dev.netdisk.cli.client.NetdiskClient;
import dev.netdisk.cli.client.NetdiskConnectionException;
import dev.netdisk.protocol.ProtocolClient;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The state one bench run shares between its workload and the runner: where the server is, the
 * users the run registered (their names start with a random prefix, so runs never collide), and
 * the helpers to connect as them and to clean up after them.
 *
 * <p>Thread-safe: the user list is only appended to, under a lock.
 */
final class Bench {

    /** A user this run registered, with a session token for {@code LOGIN TOKEN}. */
    record User(String name, String password, String token) {
    }

    /** The directory every workload keeps its files in, in each user's tree. */
    static final String DIR = "/netdisk-bench";

    final String host;
    /** TLS for every connection of the run ({@code --tls}), or off: the plain rows stay comparable. */
    private ClientTls tls = ClientTls.plainForBench();
    final int port;
    final BenchOptions options;
    /** Random, lower case, starts with a letter: user and group names are built from it. */
    final String prefix;
    private final String password;
    private final PrintWriter progress;
    private final List<User> users = Collections.synchronizedList(new ArrayList<>());

    Bench(String host, int port, BenchOptions options, PrintWriter progress) {
        this.host = host;
        this.port = port;
        this.options = options;
        this.progress = progress;
        SecureRandom random = new SecureRandom();
        byte[] b = new byte[4];
        random.nextBytes(b);
        this.prefix = "bench" + HexFormat.of().formatHex(b);
        byte[] p = new byte[12];
        random.nextBytes(p);
        this.password = HexFormat.of().formatHex(p);
    }

    BenchOptions options() {
        return options;
    }

    /** A line on stderr about setup and cleanup (nothing with {@code --quiet}). */
    void progress(String format, Object... args) {
        if (progress != null) {
            progress.println("bench: " + String.format(java.util.Locale.ROOT, format, args));
            progress.flush();
        }
    }

    /**
     * Registers {@code n} new users and logs each in once with its password to get a session token
     * (later connections use {@code LOGIN TOKEN}, which costs no password hash).
     */
    List<User> createUsers(int n) {
        long start = System.nanoTime();
        int first = users.size();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(n, 4));
        try {
            List<Future<User>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String name = prefix + "-" + (first + i);
                futures.add(pool.submit(() -> register(name)));
            }
            List<User> created = new ArrayList<>(n);
            for (Future<User> f : futures) {
                try {
                    created.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    throw BenchAbort.of("registering users", (Exception) e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BenchAbort("interrupted", BenchCommand.EXIT_CONNECTION, e);
                }
            }
            progress("registered %d users (%s-*) in %.1f s", n, prefix, (System.nanoTime() - start) / 1e9);
            return created;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs every connection over TLS under the client's trust rules (the {@code --tls} option). */
    void useTls(ClientTls secure) {
        this.tls = secure;
    }

    /** A raw connection, over TLS when the run uses it; the greeting is read. */
    ProtocolClient rawConnection() throws IOException {
        ProtocolClient c = ProtocolClient.connect(host, port, READ_TIMEOUT_MILLIS);
        if (tls.enabled()) {
            try {
                c.startTls(tls.context());
            } catch (IOException | RuntimeException e) {
                c.close();
                throw e;
            }
        }
        return c;
    }

    private User register(String name) throws IOException {
        try (NetdiskClient c = NetdiskClient.connect(host, port, null, tls)) {
            c.register(name, password);
            LoginResult login = c.login(name, password);
            User u = new User(name, password, login.token());
            users.add(u);
            return u;
        }
    }

    /** A client-library connection logged in as {@code user}, with {@code listener} for events (may be null). */
    NetdiskClient client(User user, EventListener listener) throws IOException {
        NetdiskClient c = NetdiskClient.connect(host, port, listener, tls);
        try {
            c.loginWithToken(user.token());
            return c;
        } catch (IOException e) {
            c.close();
            throw e;
        }
    }

    /** How long a plain-socket connection waits for a reply, in milliseconds. */
    static final int READ_TIMEOUT_MILLIS = 120_000;

    /**
     * A plain-socket connection logged in as {@code user}, without the client library's reader
     * thread: for pipelining thousands of commands and holding thousands of idle connections.
     *
     * @throws ReplyException when the greeting or the login is refused
     * @throws NetdiskConnectionException when the server cannot be reached
     */
    ProtocolClient raw(User user) throws IOException {
        ProtocolClient c;
        try {
            c = rawConnection();
        } catch (ReplyException e) {
            throw e;
        } catch (IOException e) {
            throw new NetdiskConnectionException("cannot connect to " + host + ":" + port + ": " + e.getMessage(), e);
        }
        try {
            c.command("LOGIN TOKEN " + user.token()).expect(230);
            return c;
        } catch (IOException e) {
            c.close();
            throw e;
        }
    }

    /** A local scratch directory of this run, created on first use. */
    Path scratch() throws IOException {
        return Files.createDirectories(options.localDir().resolve("netdisk-" + prefix));
    }

    /**
     * Removes what the users created: their bench directory (to the trash, then the trash emptied),
     * their groups (by leaving them), and their session tokens (LOGOUT). Accounts stay: the
     * protocol cannot delete one ({@code netdisk-server user disable} can refuse their logins).
     */
    void cleanupUsers(List<String> groups) {
        List<User> all;
        synchronized (users) {
            all = new ArrayList<>(users);
        }
        if (all.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        int failed = 0;
        for (User u : all) {
            try (ProtocolClient c = raw(u)) {
                Reply rm = c.command("RM -r " + DIR);
                if (rm.code() == 250) {
                    c.command("TRASH EMPTY").expect(250);
                } else if (rm.code() != 550) {
                    throw new ReplyException(rm.code(), rm.text());
                }
                for (String g : groups) {
                    c.command("GROUP LEAVE " + g);
                }
                c.command("LOGOUT");
            } catch (IOException e) {
                failed++;
            }
        }
        progress("cleaned up %d users in %.1f s%s", all.size(), (System.nanoTime() - start) / 1e9,
                failed == 0 ? "" : " (" + failed + " failed)");
    }

    /** The server's resident memory in KiB from /proc/PID/status, or -1 without {@code --server-pid}. */
    long serverRssKib() {
        if (options.serverPid() <= 0) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(options.serverPid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            progress("cannot read /proc/%d/status: %s", options.serverPid(), e.getMessage());
        }
        return -1;
    }
}
