package dev.netdisk.cli.client;

import dev.netdisk.protocol.Arguments;
import dev.netdisk.protocol.ProtocolException;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A blocking client for one netdisk server: one control connection, plus one data connection per
 * transfer. The wire format is {@code docs/PROTOCOL.md}.
 *
 * <p>Usage:
 * <pre>{@code
 * try (NetdiskClient client = NetdiskClient.connect("localhost", 2121)) {
 *     client.login("alice", password);
 *     client.makedir("docs", false);
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
 * transfers can run at once from different threads while other commands (such as {@link #chat})
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
    private volatile String user;
    private volatile String cwd = "/";

    private NetdiskClient(String host, int port, ControlConnection control, String greeting) {
        this.host = host;
        this.port = port;
        this.control = control;
        this.greeting = greeting;
        this.transfers = new Transfers(this, host, port);
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
        ControlConnection control = ControlConnection.open(host, port, CONNECT_TIMEOUT, REPLY_TIMEOUT, listener);
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
        return new LoginResult(user, token, expires == null ? null : parseInstant(expires));
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

    /** The working directory, asked from the server ({@code PWD}). */
    public String pwd() throws IOException {
        Reply reply = request("PWD").expect(257);
        cwd = quotedPath(reply);
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
        cwd = quotedPath(reply);
        return cwd;
    }

    /**
     * Lists a directory, or describes one file ({@code LS}), sorted by name.
     *
     * @param path the directory; {@code null} for the working directory
     * @throws ReplyException 550 if there is no such file or directory
     */
    public List<Entry> ls(String path) throws IOException {
        Reply reply = request(path == null ? "LS" : "LS " + Arguments.path(path)).expect(212);
        List<Entry> entries = new ArrayList<>(reply.body().size());
        for (String line : reply.body()) {
            entries.add(parseEntry(line, reply));
        }
        return entries;
    }

    /**
     * Creates a directory ({@code MAKEDIR}).
     *
     * @param parents also create missing parents, and accept an existing directory ({@code -p})
     * @return the absolute path created
     * @throws ReplyException 521 if it exists, 550 if the parent is missing, 553 for a bad name
     */
    public String makedir(String path, boolean parents) throws IOException {
        Reply reply = request("MAKEDIR " + (parents ? "-p " : "") + Arguments.path(path)).expect(257);
        return quotedPath(reply);
    }

    /**
     * Describes one file or directory ({@code STAT}).
     *
     * @throws ReplyException 550 if there is no such file or directory
     */
    public Entry stat(String path) throws IOException {
        Reply reply = request("STAT " + Arguments.path(path)).expect(213);
        return parseEntry(reply.text(), reply);
    }

    /**
     * Sends a chat message ({@code CHAT}) to a friend, or with {@code #group} to a group you are in.
     *
     * @param message at most 4096 bytes, no line breaks
     * @throws ReplyException 550 if there is no such user or group, or they are not your friend;
     *                               450 when over the rate limit; 501 for an empty or too long message
     */
    public ChatReceipt chat(String target, String message) throws IOException {
        Arguments.checkNoLineBreak("message", message);
        Reply reply = request("CHAT " + target + " " + message).expect(250);
        return new ChatReceipt(optionalLong(reply, "id"), (int) optionalLong(reply, "delivered"),
                (int) optionalLong(reply, "stored"));
    }

    /**
     * Asks {@code user} to be your friend, or accepts their pending request ({@code FRIEND ADD}).
     *
     * @return the server's text, such as {@code "friend request sent to bob"}
     * @throws ReplyException 521 if already friends or asked, 550 if there is no such user
     */
    public String friendAdd(String user) throws IOException {
        return request("FRIEND ADD " + Arguments.quote(user)).expect(250).text();
    }

    /** Accepts a friend request ({@code FRIEND ACCEPT}); 550 if {@code user} did not ask. */
    public String friendAccept(String user) throws IOException {
        return request("FRIEND ACCEPT " + Arguments.quote(user)).expect(250).text();
    }

    /** Declines a friend request ({@code FRIEND DECLINE}); 550 if {@code user} did not ask. */
    public String friendDecline(String user) throws IOException {
        return request("FRIEND DECLINE " + Arguments.quote(user)).expect(250).text();
    }

    /** Ends a friendship ({@code FRIEND REMOVE}); 550 if not friends. */
    public String friendRemove(String user) throws IOException {
        return request("FRIEND REMOVE " + Arguments.quote(user)).expect(250).text();
    }

    /** Your friends and pending requests ({@code FRIEND LIST}). */
    public List<Friend> friends() throws IOException {
        return parseLines(request("FRIEND LIST").expect(211), Friend::parse);
    }

    /** The friends online now ({@code WHO}). */
    public List<String> who() throws IOException {
        return request("WHO").expect(211).body();
    }

    /** Up to 50 user names starting with {@code prefix} ({@code USERS}); {@code ""} for any. */
    public List<String> users(String prefix) throws IOException {
        return request("USERS " + Arguments.quote(prefix)).expect(211).body();
    }

    /**
     * Creates, joins or leaves a group ({@code GROUP CREATE|JOIN|LEAVE name}).
     *
     * @param action {@code "CREATE"}, {@code "JOIN"} or {@code "LEAVE"}
     * @return the server's text, such as {@code "joined #team"}
     */
    public String group(String action, String name) throws IOException {
        return request("GROUP " + action + " " + Arguments.quote(name)).expect(250).text();
    }

    /** Removes {@code user} from a group you own ({@code GROUP KICK}). */
    public String groupKick(String name, String user) throws IOException {
        return request("GROUP KICK " + Arguments.quote(name) + " " + Arguments.quote(user)).expect(250).text();
    }

    /** The members of a group you belong to ({@code GROUP MEMBERS}). */
    public List<Group.Member> groupMembers(String name) throws IOException {
        return parseLines(request("GROUP MEMBERS " + Arguments.quote(name)).expect(211), Group.Member::parse);
    }

    /** The groups you belong to ({@code GROUP LIST}). */
    public List<Group> groups() throws IOException {
        return parseLines(request("GROUP LIST").expect(211), Group::parse);
    }

    /**
     * Stored messages between you and {@code user}, or of {@code #group} ({@code HISTORY}), oldest first.
     *
     * @param limit    how many of the newest to return, 1 to 500
     * @param beforeId only messages with a smaller id (to page back), or {@code null} for no bound
     */
    public List<ChatMessage> history(String target, int limit, Long beforeId) throws IOException {
        String line = "HISTORY " + Arguments.quote(target) + " " + limit + (beforeId == null ? "" : " " + beforeId);
        return parseLines(request(line).expect(211), ChatMessage::parse);
    }

    /**
     * Moves a file, or with {@code recursive} a directory and everything in it, to the trash ({@code RM}).
     *
     * @return the trash id, for {@link #trashRestore}
     * @throws ReplyException 550 if missing, or a directory without {@code recursive}; 553 for the root
     */
    public long rm(String path, boolean recursive) throws IOException {
        return request("RM " + (recursive ? "-r " : "") + Arguments.path(path)).expect(250).longParam("trash");
    }

    /** Moves an empty directory to the trash ({@code RMDIR}); returns the trash id. 550 if not empty. */
    public long rmdir(String path) throws IOException {
        return request("RMDIR " + Arguments.path(path)).expect(250).longParam("trash");
    }

    /**
     * Moves or renames to exactly {@code target}, the new full path ({@code MV}).
     *
     * @throws ReplyException 521 if something is at {@code target}, 550 if {@code source} is missing
     */
    public void mv(String source, String target) throws IOException {
        request("MV " + Arguments.path(source) + " " + Arguments.path(target)).expect(250);
    }

    /**
     * Copies a file or a whole directory on the server to exactly {@code target} ({@code COPY});
     * no bytes travel.
     *
     * @return what was copied; its path is {@code target} as given
     * @throws ReplyException 552 if it does not fit in the quota, 521 if {@code target} exists
     */
    public Usage copy(String source, String target) throws IOException {
        Reply r = request("COPY " + Arguments.path(source) + " " + Arguments.path(target)).expect(250);
        return new Usage(target, r.longParam("size"), r.longParam("files"), r.longParam("dirs"));
    }

    /** The total size of a tree ({@code DU}); {@code null} for the working directory. */
    public Usage du(String path) throws IOException {
        Reply r = request(path == null ? "DU" : "DU " + Arguments.path(path)).expect(213);
        return new Usage(r.textAfterParams(), r.longParam("size"), r.longParam("files"), r.longParam("dirs"));
    }

    /** Your storage quota ({@code QUOTA}). */
    public Quota quota() throws IOException {
        Reply r = request("QUOTA").expect(211);
        return new Quota(r.longParam("used"), r.longParam("trash"), r.longParam("limit"), r.longParam("free"));
    }

    /** The items in your trash, oldest first ({@code TRASH LIST}). */
    public List<TrashItem> trash() throws IOException {
        return parseLines(request("TRASH LIST").expect(211), TrashItem::parse);
    }

    /**
     * Puts a trash item back where it was, or at {@code path} ({@code TRASH RESTORE}).
     *
     * @param path where to restore it, or {@code null} for its old place
     * @return the path it was restored to
     * @throws ReplyException 521 if the place is taken, 550 for an unknown id
     */
    public String trashRestore(long id, String path) throws IOException {
        Reply r = request("TRASH RESTORE " + id + (path == null ? "" : " " + Arguments.path(path))).expect(250);
        return quotedAfterWord(r);
    }

    /** Removes everything in your trash for good ({@code TRASH EMPTY}); returns the bytes freed. */
    public long trashEmpty() throws IOException {
        return request("TRASH EMPTY").expect(250).longParam("bytes");
    }

    /**
     * Shares a file or directory with a friend, read-only ({@code SHARE path WITH user}).
     *
     * @return the server's text, naming where the friend sees it
     */
    public String share(String path, String user) throws IOException {
        // A file called LINK, LINKS or LIST would read as a sub-command: write it as a relative path.
        String p = path.equalsIgnoreCase("link") || path.equalsIgnoreCase("links") || path.equalsIgnoreCase("list")
                ? "./" + path : path;
        return request("SHARE " + Arguments.path(p) + " WITH " + Arguments.quote(user)).expect(250).text();
    }

    /** The shares you gave and received ({@code SHARE LIST}). */
    public List<Share> shares() throws IOException {
        return parseLines(request("SHARE LIST").expect(211), Share::parse);
    }

    /** Ends the share of {@code path} with {@code user}, or with everyone if {@code null} ({@code UNSHARE}). */
    public String unshare(String path, String user) throws IOException {
        String line = "UNSHARE " + Arguments.path(path.equalsIgnoreCase("link") ? "./" + path : path)
                + (user == null ? "" : " " + Arguments.quote(user));
        return request(line).expect(250).text();
    }

    /**
     * Creates a link to one of your files that any logged-in user can {@link #fetch} ({@code SHARE LINK}).
     *
     * @param expires how long it works, such as {@code "7d"} or {@code "30m"}; {@code null} for until revoked
     */
    public Share.Link link(String path, String expires) throws IOException {
        Reply r = request("SHARE LINK " + Arguments.path(path)
                + (expires == null ? "" : " --expires " + Arguments.quote(expires))).expect(250);
        String exp = r.params().get("expires");
        try {
            return new Share.Link(r.param("code"), Share.Link.expires(exp), absolute(path));
        } catch (java.time.format.DateTimeParseException e) {
            throw new NetdiskConnectionException("protocol error: bad expiry in " + r);
        }
    }

    /** Your links, oldest first ({@code SHARE LINKS}). */
    public List<Share.Link> links() throws IOException {
        return parseLines(request("SHARE LINKS").expect(211), Share.Link::parse);
    }

    /** Revokes a link ({@code UNSHARE LINK}); 550 if unknown or not yours. */
    public void unlink(String code) throws IOException {
        request("UNSHARE LINK " + Arguments.quote(code)).expect(250);
    }

    /**
     * Downloads the file behind a link ({@code FETCH}), with the same {@code .part}, resume and MD5
     * rules as {@link #download}.
     *
     * @param local the target file, or an existing directory to put it in under the file's own name;
     *              {@code null} means that name in the current directory
     * @throws ReplyException 550 for an unknown, revoked or expired link
     */
    public TransferResult fetch(String code, Path local, TransferOptions options, TransferListener listener)
            throws IOException {
        String fetch = "FETCH " + Arguments.quote(code) + " ";
        Reply first = null;
        Path target = local;
        if (local == null || Files.isDirectory(local)) {
            first = request(fetch + 0).expect(350);
            String name = first.textAfterParams();
            name = name.startsWith("file ") ? name.substring(5) : name;
            if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
                throw new NetdiskConnectionException("protocol error: no usable file name in " + first);
            }
            target = (local == null ? Path.of(name) : local.resolve(name)).toAbsolutePath();
        }
        Reply atZero = first;
        return transfers.receive("link " + code, target.toAbsolutePath(),
                offset -> offset == 0 && atZero != null ? atZero : request(fetch + offset), options, listener);
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

    /** Sends one command and returns its reply; for {@link Transfers}. */
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

    /** The quoted path in texts such as {@code restored "/docs/a.txt"}. */
    private static String quotedAfterWord(Reply reply) throws NetdiskConnectionException {
        String text = reply.text();
        int quote = text.indexOf('"');
        try {
            return quote < 0 ? text : Arguments.firstArg(text.substring(quote));
        } catch (ProtocolException e) {
            throw new NetdiskConnectionException("protocol error: no path in reply: " + reply, e);
        }
    }

    private static String quotedPath(Reply reply) throws NetdiskConnectionException {
        try {
            return Arguments.firstArg(reply.text());
        } catch (ProtocolException e) {
            throw new NetdiskConnectionException("protocol error: no path in reply: " + reply, e);
        }
    }

    private static Entry parseEntry(String line, Reply reply) throws NetdiskConnectionException {
        try {
            return Entry.parse(line);
        } catch (IllegalArgumentException e) {
            throw new NetdiskConnectionException("protocol error: " + e.getMessage() + " in reply " + reply.code());
        }
    }

    private static long optionalLong(Reply reply, String key) {
        String value = reply.params().get(key);
        try {
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static <T> List<T> parseLines(Reply reply, java.util.function.Function<String, T> parser)
            throws NetdiskConnectionException {
        List<T> items = new ArrayList<>(reply.body().size());
        for (String line : reply.body()) {
            try {
                items.add(parser.apply(line));
            } catch (IllegalArgumentException e) {
                throw new NetdiskConnectionException("protocol error: " + e.getMessage() + " in reply " + reply.code());
            }
        }
        return items;
    }

    private static Instant parseInstant(String text) throws NetdiskConnectionException {
        try {
            return Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw new NetdiskConnectionException("protocol error: bad time " + text);
        }
    }
}
