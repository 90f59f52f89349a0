package dev.netdisk.cli;

import dev.netdisk.cli.client.Cancellation;
import dev.netdisk.cli.client.ChatMessage;
import dev.netdisk.cli.client.EventListener;
import dev.netdisk.cli.client.LoginResult;
import dev.netdisk.cli.client.NetdiskClient;
import dev.netdisk.cli.client.RecursiveTransfer;
import dev.netdisk.cli.client.TransferOptions;
import dev.netdisk.protocol.ReplyException;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * The state that lives across the commands of one run: the connection (opened and logged in on
 * first use), the local working directory, the output streams and the handle that cancels the
 * running transfer. One-shot commands, batch scripts and the shell all work through one of these.
 *
 * <p>Threading: used by the thread that runs commands; only {@link #cancelTransfer()} may be
 * called from another thread (a Ctrl-C handler).
 */
final class Session implements Closeable {

    private final Env env;
    private final Settings settings;
    private final PrintWriter out;
    private final PrintWriter err;
    private final SessionStore store;
    private final Cancellation cancellation = new Cancellation();
    private NetdiskClient client;
    private EventListener listener;
    private Path localDir;
    private String token;
    private boolean revokeOnClose;
    private boolean exitRequested;
    private Env.PasswordPrompt prompt;
    private IntSupplier terminalWidth;
    private boolean progressBars;

    Session(Env env, Settings settings, PrintWriter out, PrintWriter err) {
        this.env = env;
        this.settings = settings;
        this.out = out;
        this.err = err;
        this.store = new SessionStore(env.configDir());
        this.localDir = env.workingDir();
        this.prompt = env.prompt();
        this.terminalWidth = env::terminalWidth;
        this.progressBars = env.stderrTerminal() && !settings.quiet();
        this.listener = settings.quiet() ? null : new EventListener() {
            // Outside the shell the only events worth a line are messages: offline ones arrive
            // right after login, and a message is never lost silently.
            @Override
            public void chat(ChatMessage m) {
                err.println("netdisk: message " + EventText.chat(m));
                err.flush();
            }
        };
    }

    Env env() {
        return env;
    }

    Settings settings() {
        return settings;
    }

    PrintWriter out() {
        return out;
    }

    PrintWriter err() {
        return err;
    }

    SessionStore store() {
        return store;
    }

    /** Prints an informational line on stderr unless {@code --quiet}. */
    void info(String message) {
        if (!settings.quiet()) {
            err.println(message);
            err.flush();
        }
    }

    /** The connection, opened on first use; not necessarily logged in. */
    NetdiskClient connected() throws IOException {
        if (client == null || !client.isConnected()) {
            if (client != null) {
                client.close();
            }
            client = NetdiskClient.connect(settings.host(), settings.port(), listener);
        }
        return client;
    }

    /** The connection if one is open, without connecting (for completion and the prompt). */
    Optional<NetdiskClient> current() {
        return client != null && client.isConnected() ? Optional.of(client) : Optional.empty();
    }

    /**
     * The connection, logged in: with the saved session token for the user if there is one,
     * else with a password from {@link Credentials}.
     *
     * @throws NotLoggedInException if there is no user name or no password source
     */
    NetdiskClient loggedIn() throws IOException {
        NetdiskClient c = connected();
        if (c.user() != null) {
            return c;
        }
        if (token != null && resumed(c)) {
            return c;  // a new connection after the old one broke: the session goes on
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
                return c;
            } catch (ReplyException e) {
                if (e.code() != 530) {
                    throw e;
                }
                store.remove(settings.host(), settings.port(), user);
                info("the saved session of " + user + " has expired or was revoked");
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
        return c;
    }

    /**
     * Opens more connections logged in with this session's token, for parallel transfers. Call it
     * on the command thread; the opener it returns captures host, port and token and is safe to use
     * from any thread. The connections send no {@code LOGOUT} (that would revoke the token for every
     * connection): close them with {@code close()}.
     */
    RecursiveTransfer.Connections moreConnections() throws IOException {
        loggedIn();
        String sessionToken = token;
        if (sessionToken == null) {
            throw new NotLoggedInException("not logged in: no session token to open another connection with");
        }
        String host = settings.host();
        int port = settings.port();
        return () -> {
            NetdiskClient c = NetdiskClient.connect(host, port, null);
            try {
                c.loginWithToken(sessionToken);
            } catch (IOException | RuntimeException e) {
                c.close();
                throw e;
            }
            return c;
        };
    }

    /** The handle that Ctrl-C cancels, reset for a new command. */
    Cancellation cancellation() {
        cancellation.reset();
        return cancellation;
    }

    private boolean resumed(NetdiskClient c) throws IOException {
        try {
            c.loginWithToken(token);
            return true;
        } catch (ReplyException e) {
            if (e.code() != 530) {
                throw e;
            }
            token = null;
            revokeOnClose = false;
            return false;
        }
    }

    /** Logs in with a password and saves the session for later commands. */
    LoginResult loginAndSave(String user, String password) throws IOException {
        if (client != null && client.user() != null) {
            // Switching user: a fresh connection, so a saved session of the previous user stays valid.
            close();
        }
        NetdiskClient c = connected();
        LoginResult result = c.login(user, password);
        token = result.token();
        revokeOnClose = false;
        store.save(settings.host(), settings.port(), result.user(), result.token(), result.expires());
        return result;
    }

    /** Revokes the current session on the server and forgets it locally. */
    void logout() throws IOException {
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

    Env withPrompt() {
        return env.withPrompt(prompt);
    }

    void setPrompt(Env.PasswordPrompt newPrompt) {
        this.prompt = newPrompt;
    }

    void setEventListener(EventListener newListener) {
        this.listener = newListener;
        if (client != null) {
            client.setEventListener(newListener);
        }
    }

    void setTerminalWidth(IntSupplier width) {
        this.terminalWidth = width;
    }

    void setProgressBars(boolean on) {
        this.progressBars = on && !settings.quiet();
    }

    /** Where a progress line may be drawn (stderr on a terminal, not {@code --quiet}), or {@code null}. */
    java.io.PrintStream progressStream() {
        return progressBars ? env.progress() : null;
    }

    int terminalWidth() {
        return terminalWidth.getAsInt();
    }

    /** A listener for one transfer: a bar on a terminal, the resume offset on stderr. */
    ProgressListener progress(String verb, String name) {
        return new ProgressListener(verb, name, progressBars ? env.progress() : null, terminalWidth,
                settings.quiet() ? null : err);
    }

    /** Transfer options carrying this session's cancellation handle, reset for a new transfer. */
    TransferOptions transferOptions(boolean overwrite) {
        cancellation.reset();
        return TransferOptions.DEFAULTS.withOverwrite(overwrite).withCancellation(cancellation);
    }

    /** Stops the running transfer, if any. Safe from any thread. */
    void cancelTransfer() {
        cancellation.cancel();
    }

    Path localDir() {
        return localDir;
    }

    /** A local path: {@code ~} is the home directory, a relative path starts at {@link #localDir()}. */
    Path local(String path) {
        String p = path;
        if (p.equals("~") || p.startsWith("~/")) {
            p = System.getProperty("user.home") + p.substring(1);
        }
        return localDir.resolve(p).normalize();
    }

    void lcd(String path) throws IOException {
        Path dir = local(path);
        if (!Files.isDirectory(dir)) {
            throw Files.exists(dir) ? new NotDirectoryException(dir.toString())
                    : new java.nio.file.NoSuchFileException(dir.toString());
        }
        localDir = dir.toRealPath();
    }

    boolean exitRequested() {
        return exitRequested;
    }

    void requestExit() {
        exitRequested = true;
    }

    /** {@code user@host:/cwd> }, or {@code host> } when not logged in. */
    String prompt() {
        Optional<NetdiskClient> c = current();
        if (c.isPresent() && c.get().user() != null) {
            return c.get().user() + "@" + settings.host() + ":" + c.get().cwd() + "> ";
        }
        return settings.host() + "> ";
    }

    @Override
    public void close() {
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
    }
}
