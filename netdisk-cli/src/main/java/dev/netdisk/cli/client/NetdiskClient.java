package dev.netdisk.cli.client;

import dev.netdisk.cli.client.tls.ClientTls;
import dev.netdisk.cli.client.tls.TlsOptions;

import dev.netdisk.protocol.Arguments;
import dev.netdisk.protocol.RemotePath;
import dev.netdisk.protocol.Reply;
import dev.netdisk.protocol.ReplyException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * A blocking client for one netdisk server: one control connection, plus one data connection per
 * transfer. The wire format is {@code docs/PROTOCOL.md}.
 *
 * <p>This class holds the connection, the login and working directory, and the transfers of file
 * content ({@link #upload}, {@link #download}). The other requests are grouped by what they are
 * about and share this connection: {@link #files()} (listing, directories, remove, move, copy,
 * quota, trash), {@link #social()} (chat, friends, groups) and {@link #sharing()} (shares, links,
 * fetch). A whole tree is mirrored by {@code client.mirror.RecursiveTransfer}.
 *
 * <p>Usage:
 * <pre>{@code
 * try (NetdiskClient client = NetdiskClient.connect("localhost", 2121)) {
 *     client.login("alice", password);
 *     client.files().makedir("docs", false);
 *     client.upload(Path.of("report.pdf"), "docs/", TransferOptions.DEFAULTS, TransferListener.NONE);
 * }
 * }</pre>
 *
 * <p>Errors: a refusal by the server is a {@link ReplyException} with its reply code; a
 * transfer whose MD5 does not match is a {@link ChecksumMismatchException}; a connection that
 * cannot be opened or breaks is a {@link NetdiskConnectionException}; a cancelled transfer is a
 * {@link TransferCancelledException}; local file problems are the usual {@link IOException}s
 * ({@link NoSuchFileException}, {@link FileAlreadyExistsException}, ...). The client never prints.
 *
 * <p>Threading: every method is thread-safe. Commands on the control connection run one at a
 * time in call order. {@link #upload} and {@link #download} hold the control connection only
 * while asking for their ticket; the bytes flow on their own data connection, so several
 * transfers can run at once from different threads while other commands (such as {@link Social#chat})
 * proceed. Events are delivered to the {@link EventListener} on the connection's reader thread.
 */
public final class NetdiskClient implements Closeable {

    /** The protocol's default TCP port. */
    public static final int DEFAULT_PORT = 2121;

    /** Bytes per read or write when streaming a file: bounded, never the whole file. */
    static final int CHUNK = 256 * 1024;

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REPLY_TIMEOUT = Duration.ofMinutes(2);

    private final String host;
    private final int port;
    private final ControlConnection control;
    private final String greeting;
    private final Transfers transfers;
    private final Streams streams;
    private final RemoteFiles files;
    private final Social social;
    private final Sharing sharing;
    private volatile String user;
    private volatile String cwd = "/";

    private NetdiskClient(String host, int port, ControlConnection control, String greeting) {
        this.host = host;
        this.port = port;
        this.control = control;
        this.greeting = greeting;
        this.transfers = new Transfers(this, host, port);
        this.streams = new Streams(this, transfers);
        this.files = new RemoteFiles(this);
        this.social = new Social(this);
        this.sharing = new Sharing(this, transfers);
    }

    /**
     * Opens a control connection and reads the server's greeting.
     *
     * @throws NetdiskConnectionException if the server cannot be reached or does not greet with {@code 220}
     */
    public static NetdiskClient connect(String host, int port) throws IOException {
        return connect(host, port, null);
    }

    /**
     * Opens a control connection with an event listener installed before the first line is read.
     *
     * @param listener receives chat and other events; may be {@code null}
     */
    public static NetdiskClient connect(String host, int port, EventListener listener) throws IOException {
        return connect(host, port, listener, TlsOptions.defaults());
    }

    /**
     * Opens a control connection secured as {@code tls} says (docs/SECURITY.md): TLS unless it is
     * off, with the certificate checked by its rules. The data connections of this client use the
     * same settings.
     *
     * @throws NetdiskConnectionException the server cannot be reached, offers no TLS, or its
     *                                    certificate is refused (the message says why and what to do)
     */
    public static NetdiskClient connect(String host, int port, EventListener listener, TlsOptions tls) throws IOException {
        return connect(host, port, listener, ClientTls.of(tls));
    }

    /** As above with TLS already set up: connections that share one {@link ClientTls} resume TLS sessions. */
    public static NetdiskClient connect(String host, int port, EventListener listener, ClientTls tls) throws IOException {
        tls.register(host, port);
        ControlConnection control = ControlConnection.open(host, port, CONNECT_TIMEOUT, REPLY_TIMEOUT, listener, tls);
        Reply greeting;
        try {
            greeting = control.awaitReply();
        } catch (IOException e) {
            control.close();
            throw e;
        }
        if (greeting.code() != 220) {
            control.close();
            throw new NetdiskConnectionException("the server at " + host + ":" + port + " refused the connection: " + greeting);
        }
        return new NetdiskClient(host, port, control, greeting.text());
    }

    /** The host this client connected to. */
    public String host() {
        return host;
    }

    /** The TCP port this client connected to. */
    public int port() {
        return port;
    }

    /** The text of the server's {@code 220} greeting, such as {@code "netdisk 0.1.0 ready (protocol 1)"}. */
    public String greeting() {
        return greeting;
    }

    /** Replaces the event listener ({@code null} to ignore events). */
    public void setEventListener(EventListener listener) {
        control.setListener(listener);
    }

    /** The logged-in user, or {@code null}. */
    public String user() {
        return user;
    }

    /** The working directory as last reported by the server ({@code "/"} after login). */
    public String cwd() {
        return cwd;
    }

    /** True until the connection is closed or broken. */
    public boolean isConnected() {
        return control.isOpen();
    }

    /** The file requests: listing, directories, remove, move, copy, sizes, quota and trash. */
    public RemoteFiles files() {
        return files;
    }

    /** The social requests: chat and its history, friends, groups, who is online, user names. */
    public Social social() {
        return social;
    }

    /** The sharing requests: shares with friends, links, and fetching a link's file. */
    public Sharing sharing() {
        return sharing;
    }

    /**
     * Creates an account ({@code REGISTER}); it does not log in.
     *
     * @throws ReplyException 521 if taken, 553 for an invalid name, 501 for a bad password, 503 when logged in
     */
    public void register(String userName, String password) throws IOException {
        Arguments.checkNoLineBreak("password", password);
        request("REGISTER " + Arguments.quote(userName) + " " + Arguments.quote(password)).expect(200);
    }

    /**
     * Logs in with a password ({@code LOGIN user password}) and returns the new session token.
     *
     * @throws ReplyException 530 for a wrong name or password, 503 when already logged in
     */
    public LoginResult login(String userName, String password) throws IOException {
        Arguments.checkNoLineBreak("password", password);
        Reply reply = request("LOGIN " + Arguments.quote(userName) + " " + Arguments.quote(password)).expect(230);
        String token = reply.param("token");
        String expires = reply.params().get("expires");
        loggedIn(userName.toLowerCase(Locale.ROOT));
        return new LoginResult(user, token, expires == null ? null : Replies.instant(expires));
    }

    /**
     * Resumes a session with a token from an earlier {@link #login(String, String)} ({@code LOGIN TOKEN}).
     *
     * @throws ReplyException 530 if the token expired or was revoked
     */
    public LoginResult loginWithToken(String token) throws IOException {
        Reply reply = request("LOGIN TOKEN " + Arguments.quote(token)).expect(230);
        String name = reply.params().get("user");
        loggedIn(name == null ? "?" : name);
        return new LoginResult(user, null, null);
    }

    private void loggedIn(String name) {
        user = name;
        cwd = "/";
    }

    /** Revokes this connection's session token and logs out ({@code LOGOUT}). */
    public void logout() throws IOException {
        request("LOGOUT").expect(200);
        user = null;
        cwd = "/";
    }

    /**
     * Changes this user's password ({@code PASSWD}); the user's other sessions end unless
     * {@code keepSessions}. Returns the server's reply text (how many sessions ended).
     *
     * @throws ReplyException 550 when {@code oldPassword} is wrong, 501 for a new one too short or long
     */
    public String changePassword(String oldPassword, String newPassword, boolean keepSessions) throws IOException {
        // "--" first: a password may begin with '-'.
        return request("PASSWD " + (keepSessions ? "--keep-sessions " : "") + "-- " + Arguments.quote(oldPassword)
                + " " + Arguments.quote(newPassword)).expect(200).text();
    }

    /** The working directory, asked from the server ({@code PWD}). */
    public String pwd() throws IOException {
        Reply reply = request("PWD").expect(257);
        cwd = Replies.quotedPath(reply);
        return cwd;
    }

    /**
     * Changes the working directory ({@code CD}); {@code null} or empty goes to {@code /}.
     *
     * @return the new absolute working directory
     * @throws ReplyException 550 if there is no such directory, 553 if the path escapes the root
     */
    public String cd(String path) throws IOException {
        String line = path == null || path.isEmpty() ? "CD" : "CD " + Arguments.path(path);
        Reply reply = request(line).expect(250);
        cwd = Replies.quotedPath(reply);
        return cwd;
    }

    /** A round trip that changes nothing ({@code NOOP}). */
    public void noop() throws IOException {
        request("NOOP").expect(200);
    }

    /**
     * Uploads a local file, resuming an interrupted upload of the same path, size and MD5.
     *
     * <p>Sends the bytes from the offset the server returns while it hashes the file (the kept
     * prefix of the local file, then each chunk sent), then the MD5 as the trailer line after the
     * bytes ({@code UPLOAD path size -}, PROTOCOL.md section 6); one pass over the file. A server
     * that wants the MD5 up front gets it that way, after a hashing pass. The server verifies the
     * whole file's MD5 and makes it visible only if it matches, so a local file changed since an
     * interrupted attempt fails with 554 and the next attempt starts over.
     *
     * @param local  a regular file
     * @param remote the target path; {@code null} means the local name in the working directory; a
     *               path ending in {@code /} or naming an existing directory means the local name
     *               inside that directory
     * @throws NoSuchFileException if {@code local} is not a regular file
     * @throws ReplyException 521 if the target exists and {@code overwrite} is off, 550/553 for a bad target,
     *                               450 if the same file is being uploaded elsewhere, 452 if the server is full
     * @throws ChecksumMismatchException if the server received different bytes (554)
     * @throws TransferCancelledException if cancelled; the server keeps the bytes for resume
     */
    public TransferResult upload(Path local, String remote, TransferOptions options, TransferListener listener)
            throws IOException {
        return transfers.upload(local, remote, true, options, listener);
    }

    /**
     * {@link #upload} to exactly {@code target}, never into a directory there: saves the {@code STAT}
     * that {@link #upload} spends per file to tell, which a mirror that listed the tree does not need.
     * Same resume, checks and errors as {@link #upload}.
     */
    public TransferResult uploadExact(Path local, String target, TransferOptions options, TransferListener listener)
            throws IOException {
        return transfers.upload(local, target, false, options, listener);
    }

    /**
     * Downloads a remote file, resuming from a {@code NAME.part} file left by an interrupted download.
     *
     * <p>The bytes go to {@code NAME.part} next to the target and are hashed as they are written
     * (a kept prefix is hashed first). Only when the whole file's MD5 equals the server's is the
     * {@code .part} file renamed to {@code NAME}; on a mismatch it is deleted.
     *
     * @param remote the remote file
     * @param local  the target file, or an existing directory to put it in under the remote name;
     *               {@code null} means the remote name in the current directory
     * @throws FileAlreadyExistsException if the target exists and {@code overwrite} is off
     * @throws ReplyException 550 if there is no such file or it is a directory, 450 if it changed meanwhile
     * @throws ChecksumMismatchException if the bytes received do not hash to the server's MD5
     * @throws TransferCancelledException if cancelled; the {@code .part} file is kept for resume
     */
    public TransferResult download(String remote, Path local, TransferOptions options, TransferListener listener)
            throws IOException {
        Path target = downloadTarget(remote, local);
        String absolute = absolute(remote);
        return transfers.receive(absolute, target, offset -> request("DOWNLOAD " + Arguments.path(remote) + " " + offset),
                options, listener);
    }

    /**
     * Writes a remote file's bytes to {@code out} as they arrive ({@code cat}, {@code download REMOTE -}),
     * then checks the MD5 of all of them against the server's. Nothing is resumed and no local file is made.
     *
     * @return the result, with a {@code null} local path
     * @throws ReplyException 550 if there is no such file or it is a directory
     * @throws ChecksumMismatchException if the bytes written do not hash to the server's MD5 (they
     *                                   are already written: the caller must report the failure)
     * @throws TransferCancelledException if cancelled
     */
    public TransferResult downloadTo(String remote, java.io.OutputStream out, TransferOptions options,
                                     TransferListener listener) throws IOException {
        return streams.downloadTo(remote, out, options, listener);
    }

    /**
     * Uploads everything {@code in} holds until its end to exactly {@code target} ({@code upload - REMOTE}).
     * The bytes are first spooled, while hashed, to a temporary file in {@code spoolDir} that only
     * this user may read (the protocol needs the size up front); that file then goes through {@link #uploadExact}'s
     * verified path and is deleted afterwards, whatever happens.
     *
     * @throws ReplyException as {@link #upload}
     * @throws ChecksumMismatchException if the server received different bytes, or the spool file changed
     * @throws TransferCancelledException if cancelled
     */
    public TransferResult uploadFrom(java.io.InputStream in, java.nio.file.Path spoolDir, String target,
                                     TransferOptions options, TransferListener listener) throws IOException {
        return streams.uploadFrom(in, spoolDir, target, options, listener);
    }

    /**
     * Asks for a batch data connection ({@code BATCH}, PROTOCOL.md section 6) and returns the reply
     * as it is, refusals included (not thrown): {@code 350 ticket=T max-size=N} (N in bytes, the
     * largest file the batch carries; open it with {@link DataConnection#open}), or for instance
     * {@code 450} when the server takes no more transfers for now.
     *
     * @throws NetdiskConnectionException the control connection failed
     */
    public Reply requestBatch() throws IOException {
        return request("BATCH");
    }

    /** Says {@code QUIT} and closes the connection without waiting for the answer. Never throws. */
    @Override
    public void close() {
        if (control.isOpen()) {
            control.sendQuietly("QUIT");
        }
        control.close();
    }

    /** Sends one command and returns its reply; for the request groups and {@link Transfers}. */
    Reply request(String line) throws IOException {
        return control.request(line);
    }

    private static Path downloadTarget(String remote, Path local) {
        String name = RemotePath.basename(remote);
        if (local == null) {
            return Path.of(name.isEmpty() ? "." : name).toAbsolutePath();
        }
        if (Files.isDirectory(local) && !name.isEmpty()) {
            return local.resolve(name).toAbsolutePath();
        }
        return local.toAbsolutePath();
    }

    /** The absolute form of a remote path, for reports; the server resolves the real one. */
    String absolute(String path) {
        return path.startsWith("/") ? path : RemotePath.join(cwd, path);
    }
}
