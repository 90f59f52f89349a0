package dev.netdisk.cli.session;

import dev.netdisk.cli.client.tls.ClientTls;
import dev.netdisk.cli.client.tls.TlsOptions;
import dev.netdisk.cli.client.EventListener;
import dev.netdisk.cli.client.LoginResult;
import dev.netdisk.cli.client.NetdiskClient;
import dev.netdisk.cli.client.mirror.RecursiveTransfer;
import dev.netdisk.protocol.ReplyException;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;

/**
 * The state that lives across the commands of one run: the connection (opened and logged in on
 * first use, with a saved session token or a password), the session token, and the
 * {@link Console} (streams, local directory, cancellation). One-shot commands, batch scripts and
 * the shell all work through one of these.
 *
 * <p>A session that {@linkplain #setWantsEvents wants events} (the shell, {@code listen}) listens,
 * keeps alive and reconnects through its {@link Subscription}. A one-shot command never listens:
 * it takes no backlog and is no presence news.
 *
 * <p>Threading: used by the thread that runs commands, and by the background thread that sends
 * the heartbeat and reconnects; the methods that touch the connection are synchronized. The
 * console's {@link Console#cancelTransfer()} may be called from any thread (a Ctrl-C handler).
 */
public final class Session implements Closeable {

    private final Env env;
    private final Settings settings;
    private final Console console;
    private final SessionStore store;
    private NetdiskClient client;
    /** Events, the heartbeat and reconnecting, for a session that listens. */
    private final Subscription subscription;
    private String token;
    private boolean revokeOnClose;
    private Env.PasswordPrompt prompt;
    private ClientTls tls;
    /** The remote directory a job's session starts in (its parent's working directory), or null. */
    private String startDir;
    /** The shell's background jobs; null outside the interactive shell. */
    private volatile Jobs jobs;

    public Session(Env env, Settings settings, PrintWriter out, PrintWriter err) {
        this.env = env;
        this.settings = settings;
        this.console = new Console(env, settings.quiet(), out, err);
        this.store = new SessionStore(env.configDir());
        this.prompt = env.prompt();
        this.subscription = new Subscription(this, console::info);
    }

    /** The shell's background jobs, or null outside the interactive shell. */
    public Jobs jobs() {
        return jobs;
    }

    public void setJobs(Jobs newJobs) {
        this.jobs = newJobs;
    }

    /** Where notes about the connection (lost, reconnected) go: stderr by default, above the prompt in the shell. */
    public void setNotices(java.util.function.Consumer<String> newNotices) {
        subscription.setNotices(newNotices);
    }

    public Env env() {
        return env;
    }

    public Settings settings() {
        return settings;
    }

    /** The streams, the local directory and the cancellation handle of this run. */
    public Console console() {
        return console;
    }

    public SessionStore store() {
        return store;
    }

    /** The connection, opened on first use; not necessarily logged in. */
    public synchronized NetdiskClient connected() throws IOException {
        if (client == null || !client.isConnected()) {
            if (client != null) {
                client.close();
            }
            client = NetdiskClient.connect(settings.host(), settings.port(), subscription.events(), tls());
        }
        return client;
    }

    /**
     * Makes this session listen for events (the shell, {@code listen}): from its next login on (or
     * at once when logged in) it sends {@code LISTEN}, the heartbeat and reconnects when the
     * connection breaks.
     */
    public synchronized void setWantsEvents(boolean wanted) throws IOException {
        subscription.setWanted(wanted);
        if (wanted && client != null && client.isConnected() && client.user() != null) {
            subscription.listen(client);
        }
    }

    /** Whether a listening session reconnects when its connection breaks (default) or reports {@code closed()}. */
    public void setReconnect(boolean on) {
        subscription.setReconnect(on);
    }

    /** The newest message id this session has shown, 0 for none. */
    public long lastMessageId() {
        return subscription.lastMessageId();
    }

    /** Whether the connection this session had is broken (not closed on purpose, not replaced yet). */
    synchronized boolean connectionBroken() {
        return client != null && !client.isConnected();
    }

    /** Whether the connection is open and logged in. */
    synchronized boolean connectedAndLoggedIn() {
        return client != null && client.isConnected() && client.user() != null;
    }

    /**
     * This run's TLS (docs/SECURITY.md): one context for every connection, so the trust question is
     * asked once and data connections resume the TLS session.
     */
    private ClientTls tls() throws IOException {
        if (tls == null) {
            java.io.Console terminal = env.stdinTerminal() ? System.console() : null;
            TlsOptions options = new TlsOptions(!settings.noTls(), settings.caFile(), settings.fingerprint(),
                    env.configDir().resolve("known_hosts"),
                    terminal == null ? null : question -> {
                        String answer = terminal.readLine("%s", question);
                        return answer != null && answer.trim().toLowerCase(java.util.Locale.ROOT).startsWith("y");
                    },
                    line -> {
                        console.err().println(line);
                        console.err().flush();
                    });
            tls = ClientTls.of(options);
        }
        return tls;
    }

    /** The connection if one is open, without connecting (for completion and the prompt). */
    public synchronized Optional<NetdiskClient> current() {
        return client != null && client.isConnected() ? Optional.of(client) : Optional.empty();
    }

    /**
     * The connection, logged in: with the saved session token for the user if there is one,
     * else with a password from {@link Credentials}.
     *
     * @throws NotLoggedInException if there is no user name or no password source
     */
    public synchronized NetdiskClient loggedIn() throws IOException {
        NetdiskClient c = connected();
        if (c.user() != null) {
            return c;
        }
        logIn(c);
        subscription.loggedIn(c);
        if (startDir != null) {
            String dir = startDir;
            startDir = null;
            c.cd(dir);
        }
        return c;
    }

    /**
     * A session for a background job of the shell: its own connection, logged in with this
     * session's token when it first needs one (it never revokes it), in this session's remote and
     * local working directories, with its own cancellation handle and no progress bars.
     *
     * @throws NotLoggedInException this session is not logged in
     */
    public synchronized Session forJob(PrintWriter out, PrintWriter err) throws IOException {
        NetdiskClient c = loggedIn();
        if (token == null) {
            throw new NotLoggedInException("not logged in: a background job logs in with the shell's session");
        }
        Session job = new Session(env, settings, out, err);
        job.token = token;
        job.tls = tls;
        job.startDir = c.cwd();
        job.prompt = p -> null;  // a job never asks for a password: the terminal is the shell's
        job.console.lcd(console.localDir().toString());
        job.console.setProgressBars(false);
        return job;
    }

    private void logIn(NetdiskClient c) throws IOException {
        if (token != null && resumed(c)) {
            return;  // a new connection after the old one broke: the session goes on
        }
        String user = settings.user();
        Optional<SessionStore.Saved> saved;
        if (user == null) {
            saved = store.newest(settings.host(), settings.port());
            if (saved.isEmpty()) {
                throw new NotLoggedInException("not logged in: give --user USER (or set NETDISK_USER), "
                        + "or run 'netdisk login' first");
            }
            user = saved.get().user();
        } else {
            saved = store.find(settings.host(), settings.port(), user);
        }
        if (saved.isPresent()) {
            try {
                c.loginWithToken(saved.get().token());
                token = saved.get().token();
                return;
            } catch (ReplyException e) {
                if (LoginRefusal.of(e) != LoginRefusal.REVOKED) {
                    throw e;  // a lock-out or a disabled account: the token is still good for later
                }
                store.remove(settings.host(), settings.port(), user);
                console.info("the saved session of " + user + " has expired or was revoked");
            }
        }
        String password = Credentials.password(settings, withPrompt(), user, false);
        if (password == null) {
            throw new NotLoggedInException("not logged in as " + user + ": run 'netdisk login' first, "
                    + "or give --password-file FILE or NETDISK_PASSWORD");
        }
        LoginResult result = c.login(user, password);
        token = result.token();
        revokeOnClose = true;  // nobody saved this token: do not leave it valid for 30 days
    }

    /**
     * Opens more connections logged in with this session's token, for parallel transfers. Call it
     * on the command thread; the opener it returns captures host, port and token and is safe to use
     * from any thread. The connections send no {@code LOGOUT} (that would revoke the token for every
     * connection): close them with {@code close()}.
     */
    public synchronized RecursiveTransfer.Connections moreConnections() throws IOException {
        loggedIn();
        String sessionToken = token;
        if (sessionToken == null) {
            throw new NotLoggedInException("not logged in: no session token to open another connection with");
        }
        String host = settings.host();
        int port = settings.port();
        ClientTls shared = tls();
        return () -> {
            NetdiskClient c = NetdiskClient.connect(host, port, null, shared);
            try {
                c.loginWithToken(sessionToken);
            } catch (IOException | RuntimeException e) {
                c.close();
                throw e;
            }
            return c;
        };
    }

    private boolean resumed(NetdiskClient c) throws IOException {
        try {
            c.loginWithToken(token);
            return true;
        } catch (ReplyException e) {
            if (LoginRefusal.of(e) != LoginRefusal.REVOKED) {
                throw e;
            }
            token = null;
            revokeOnClose = false;
            return false;
        }
    }

    /** Logs in with a password and saves the session for later commands. */
    public synchronized LoginResult loginAndSave(String user, String password) throws IOException {
        if (client != null && client.user() != null) {
            // Switching user: a fresh connection, so a saved session of the previous user stays valid.
            close();
        }
        NetdiskClient c = connected();
        LoginResult result = c.login(user, password);
        token = result.token();
        revokeOnClose = false;
        store.save(settings.host(), settings.port(), result.user(), result.token(), result.expires());
        subscription.loggedIn(c);
        return result;
    }

    /** Revokes the current session on the server and forgets it locally. */
    public synchronized void logout() throws IOException {
        NetdiskClient c = connected();
        String user = c.user();
        c.logout();
        forget(user);
    }

    /** Removes the saved session of {@code user} if it is the one this connection used. */
    void forget(String user) throws IOException {
        if (user != null) {
            Optional<SessionStore.Saved> saved = store.find(settings.host(), settings.port(), user);
            if (saved.isPresent() && (token == null || saved.get().token().equals(token))) {
                store.remove(settings.host(), settings.port(), user);
            }
        }
        token = null;
        revokeOnClose = false;
    }

    private void logoutQuietly(NetdiskClient c) {
        try {
            c.logout();
        } catch (IOException ignored) {
            // the next login replaces the session anyway
        }
        revokeOnClose = false;
    }

    public Env withPrompt() {
        return env.withPrompt(prompt);
    }

    public void setPrompt(Env.PasswordPrompt newPrompt) {
        this.prompt = newPrompt;
    }

    /** Where this session's events go ({@code null}: nowhere); messages come once each. */
    public void setEventListener(EventListener newListener) {
        subscription.setListener(newListener);
    }

    /**
     * {@code user@host:/cwd> }, with the unread total when there is one ({@code user@host:/cwd [3 unread]> }),
     * or {@code host> } when not logged in.
     */
    public synchronized String prompt() {
        Optional<NetdiskClient> c = current();
        if (c.isPresent() && c.get().user() != null) {
            long unread = subscription.readMarks().unread();
            return c.get().user() + "@" + settings.host() + ":" + c.get().cwd()
                    + (unread > 0 ? " [" + unread + " unread]" : "") + "> ";
        }
        return settings.host() + "> ";
    }

    /**
     * Whether messages this session shows are marked read (default on): their conversation's read
     * marker moves to them, batched ({@link ReadMarks}). {@code listen --no-mark-read} turns it off.
     */
    public void setMarkShownRead(boolean on) {
        subscription.readMarks().setEnabled(on);
    }

    /** Counts the unread messages again ({@code UNREAD}; blocking; failures keep the last count). */
    public void refreshUnread() {
        subscription.readMarks().refresh();
    }

    /** The unread total last counted, -1 when not known (not logged in, or not counted yet). */
    public long unread() {
        return subscription.readMarks().unread();
    }

    /** What to run (on any thread) when the unread total changes: the shell redraws its prompt. */
    public void setOnUnreadChange(Runnable action) {
        subscription.readMarks().setOnChange(action);
    }

    @Override
    public synchronized void close() {
        subscription.closing(true);
        try {
            if (client == null) {
                return;
            }
            if (revokeOnClose && client.isConnected() && client.user() != null) {
                logoutQuietly(client);
            }
            client.close();
            client = null;
            token = null;
            revokeOnClose = false;
        } finally {
            subscription.closing(false);
        }
    }
}
