package dev.netdisk.cli.client;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
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
 * <p>Errors: a refusal by the server is a {@link NetdiskReplyException} with its reply code; a
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
    /** A data connection may wait this long for the server's final line (it syncs and hashes big files). */
    private static final Duration DATA_TIMEOUT = Duration.ofMinutes(10);

    private final String host;
    private final int port;
    private final ControlConnection control;
    private final String greeting;
    private volatile String user;
    private volatile String cwd = "/";

    private NetdiskClient(String host, int port, ControlConnection control, String greeting) {
        this.host = host;
        this.port = port;
        this.control = control;
        this.greeting = greeting;
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
     * @throws NetdiskReplyException 521 if taken, 553 for an invalid name, 501 for a bad password, 503 when logged in
     */
    public void register(String userName, String password) throws IOException {
        ProtocolArgs.checkNoLineBreak("password", password);
        request("REGISTER " + ProtocolArgs.quote(userName) + " " + ProtocolArgs.quote(password)).expect(200);
    }

    /**
     * Logs in with a password ({@code LOGIN user password}) and returns the new session token.
     *
     * @throws NetdiskReplyException 530 for a wrong name or password, 503 when already logged in
     */
    public LoginResult login(String userName, String password) throws IOException {
        ProtocolArgs.checkNoLineBreak("password", password);
        Reply reply = request("LOGIN " + ProtocolArgs.quote(userName) + " " + ProtocolArgs.quote(password)).expect(230);
        String token = reply.param("token");
        String expires = reply.params().get("expires");
        loggedIn(userName.toLowerCase(Locale.ROOT));
        return new LoginResult(user, token, expires == null ? null : parseInstant(expires));
    }

    /**
     * Resumes a session with a token from an earlier {@link #login(String, String)} ({@code LOGIN TOKEN}).
     *
     * @throws NetdiskReplyException 530 if the token expired or was revoked
     */
    public LoginResult loginWithToken(String token) throws IOException {
        Reply reply = request("LOGIN TOKEN " + ProtocolArgs.quote(token)).expect(230);
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
     * @throws NetdiskReplyException 550 if there is no such directory, 553 if the path escapes the root
     */
    public String cd(String path) throws IOException {
        String line = path == null || path.isEmpty() ? "CD" : "CD " + ProtocolArgs.path(path);
        Reply reply = request(line).expect(250);
        cwd = quotedPath(reply);
        return cwd;
    }

    /**
     * Lists a directory, or describes one file ({@code LS}), sorted by name.
     *
     * @param path the directory; {@code null} for the working directory
     * @throws NetdiskReplyException 550 if there is no such file or directory
     */
    public List<Entry> ls(String path) throws IOException {
        Reply reply = request(path == null ? "LS" : "LS " + ProtocolArgs.path(path)).expect(212);
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
     * @throws NetdiskReplyException 521 if it exists, 550 if the parent is missing, 553 for a bad name
     */
    public String makedir(String path, boolean parents) throws IOException {
        Reply reply = request("MAKEDIR " + (parents ? "-p " : "") + ProtocolArgs.path(path)).expect(257);
        return quotedPath(reply);
    }

    /**
     * Describes one file or directory ({@code STAT}).
     *
     * @throws NetdiskReplyException 550 if there is no such file or directory
     */
    public Entry stat(String path) throws IOException {
        Reply reply = request("STAT " + ProtocolArgs.path(path)).expect(213);
        return parseEntry(reply.text(), reply);
    }

    /**
     * Sends a chat message ({@code CHAT}) to a friend, or with {@code #group} to a group you are in.
     *
     * @param message at most 4096 bytes, no line breaks
     * @throws NetdiskReplyException 550 if there is no such user or group, or they are not your friend;
     *                               450 when over the rate limit; 501 for an empty or too long message
     */
    public ChatReceipt chat(String target, String message) throws IOException {
        ProtocolArgs.checkNoLineBreak("message", message);
        Reply reply = request("CHAT " + target + " " + message).expect(250);
        return new ChatReceipt(optionalLong(reply, "id"), (int) optionalLong(reply, "delivered"),
                (int) optionalLong(reply, "stored"));
    }

    /**
     * Asks {@code user} to be your friend, or accepts their pending request ({@code FRIEND ADD}).
     *
     * @return the server's text, such as {@code "friend request sent to bob"}
     * @throws NetdiskReplyException 521 if already friends or asked, 550 if there is no such user
     */
    public String friendAdd(String user) throws IOException {
        return request("FRIEND ADD " + ProtocolArgs.quote(user)).expect(250).text();
    }

    /** Accepts a friend request ({@code FRIEND ACCEPT}); 550 if {@code user} did not ask. */
    public String friendAccept(String user) throws IOException {
        return request("FRIEND ACCEPT " + ProtocolArgs.quote(user)).expect(250).text();
    }

    /** Declines a friend request ({@code FRIEND DECLINE}); 550 if {@code user} did not ask. */
    public String friendDecline(String user) throws IOException {
        return request("FRIEND DECLINE " + ProtocolArgs.quote(user)).expect(250).text();
    }

    /** Ends a friendship ({@code FRIEND REMOVE}); 550 if not friends. */
    public String friendRemove(String user) throws IOException {
        return request("FRIEND REMOVE " + ProtocolArgs.quote(user)).expect(250).text();
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
        return request("USERS " + ProtocolArgs.quote(prefix)).expect(211).body();
    }

    /**
     * Creates, joins or leaves a group ({@code GROUP CREATE|JOIN|LEAVE name}).
     *
     * @param action {@code "CREATE"}, {@code "JOIN"} or {@code "LEAVE"}
     * @return the server's text, such as {@code "joined #team"}
     */
    public String group(String action, String name) throws IOException {
        return request("GROUP " + action + " " + ProtocolArgs.quote(name)).expect(250).text();
    }

    /** Removes {@code user} from a group you own ({@code GROUP KICK}). */
    public String groupKick(String name, String user) throws IOException {
        return request("GROUP KICK " + ProtocolArgs.quote(name) + " " + ProtocolArgs.quote(user)).expect(250).text();
    }

    /** The members of a group you belong to ({@code GROUP MEMBERS}). */
    public List<Group.Member> groupMembers(String name) throws IOException {
        return parseLines(request("GROUP MEMBERS " + ProtocolArgs.quote(name)).expect(211), Group.Member::parse);
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
        String line = "HISTORY " + ProtocolArgs.quote(target) + " " + limit + (beforeId == null ? "" : " " + beforeId);
        return parseLines(request(line).expect(211), ChatMessage::parse);
    }

    /** A round trip that changes nothing ({@code NOOP}). */
    public void noop() throws IOException {
        request("NOOP").expect(200);
    }

    /**
     * Uploads a local file, resuming an interrupted upload of the same path, size and MD5.
     *
     * <p>Hashes the file first (its MD5 goes in the {@code UPLOAD} command), then sends only the
     * bytes from the offset the server returns. The server verifies the whole file's MD5 and makes
     * it visible only if it matches.
     *
     * @param local  a regular file
     * @param remote the target path; {@code null} means the local name in the working directory; a
     *               path ending in {@code /} or naming an existing directory means the local name
     *               inside that directory
     * @throws NoSuchFileException if {@code local} is not a regular file
     * @throws NetdiskReplyException 521 if the target exists and {@code overwrite} is off, 550/553 for a bad target,
     *                               450 if the same file is being uploaded elsewhere, 452 if the server is full
     * @throws ChecksumMismatchException if the server received different bytes (554)
     * @throws TransferCancelledException if cancelled; the server keeps the bytes for resume
     */
    public TransferResult upload(Path local, String remote, TransferOptions options, TransferListener listener)
            throws IOException {
        TransferListener l = listener == null ? TransferListener.NONE : listener;
        Cancellation cancel = options.cancellation();
        if (Files.isDirectory(local)) {
            throw new java.nio.file.FileSystemException(local.toString(), null, "is a directory; upload sends one file");
        }
        if (!Files.isRegularFile(local)) {
            throw new NoSuchFileException(local.toString());
        }
        long size = Files.size(local);
        MessageDigest digest = Md5.newDigest();
        Md5.update(digest, local, size, hashed -> l.hashing(hashed, size), cancel);
        String md5 = Md5.hex(digest);
        String target = uploadTarget(local, remote);

        Reply reply = request(ProtocolArgs.command("UPLOAD", ProtocolArgs.path(target), Long.toString(size), md5)
                + (options.overwrite() ? " --overwrite" : "")).expect(350);
        String ticket = reply.param("ticket");
        long offset = reply.longParam("offset");
        if (offset < 0 || offset > size) {
            throw new NetdiskConnectionException("protocol error: offset out of range: " + reply);
        }
        String absolute = absolute(target);
        l.started(absolute, offset, size);

        try (DataConnection data = openData(ticket, cancel, absolute)) {
            try {
                sendBytes(local, offset, size, data.output(), l, cancel);
            } catch (IOException e) {
                checkCancelled(cancel, absolute);
                Reply early = data.readReplyAfterFailure();
                if (early != null) {
                    throw failure(early, md5);
                }
                throw new NetdiskConnectionException("data connection lost during upload: " + e.getMessage(), e);
            }
            Reply done = readFinal(data, cancel, absolute);
            if (done.code() != 226) {
                throw failure(done, md5);
            }
            String stored = done.params().get("md5");
            if (stored != null && !stored.equalsIgnoreCase(md5)) {
                throw new ChecksumMismatchException("checksum mismatch: sent " + md5 + ", server stored " + stored, md5, stored);
            }
            return new TransferResult(absolute, local, size, md5, offset);
        } finally {
            if (cancel != null) {
                cancel.detach();
            }
        }
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
     * @throws NetdiskReplyException 550 if there is no such file or it is a directory, 450 if it changed meanwhile
     * @throws ChecksumMismatchException if the bytes received do not hash to the server's MD5
     * @throws TransferCancelledException if cancelled; the {@code .part} file is kept for resume
     */
    public TransferResult download(String remote, Path local, TransferOptions options, TransferListener listener)
            throws IOException {
        TransferListener l = listener == null ? TransferListener.NONE : listener;
        Cancellation cancel = options.cancellation();
        Path target = downloadTarget(remote, local);
        if (Files.exists(target) && !options.overwrite()) {
            throw new FileAlreadyExistsException(target.toString(), null, "use --overwrite to replace it");
        }
        if (Files.isDirectory(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "is a directory");
        }
        Path part = target.resolveSibling(target.getFileName() + ".part");
        long kept = Files.isRegularFile(part) ? Files.size(part) : 0;

        Reply reply = request("DOWNLOAD " + ProtocolArgs.path(remote) + " " + kept);
        if (reply.code() == 501 && kept > 0) {
            // The .part is longer than the file now on the server: it belongs to another version.
            Files.delete(part);
            kept = 0;
            reply = request("DOWNLOAD " + ProtocolArgs.path(remote) + " 0");
        }
        reply.expect(350);
        String ticket = reply.param("ticket");
        long offset = reply.longParam("offset");
        long size = reply.longParam("size");
        String md5 = reply.param("md5").toLowerCase(Locale.ROOT);
        if (offset != kept || offset > size) {
            throw new NetdiskConnectionException("protocol error: asked for offset " + kept + ", got: " + reply);
        }
        String absolute = absolute(remote);

        MessageDigest digest = Md5.newDigest();
        if (offset > 0) {
            Md5.update(digest, part, offset, hashed -> l.hashing(hashed, offset), cancel);
        }
        l.started(absolute, offset, size);
        try (DataConnection data = openData(ticket, cancel, absolute)) {
            try {
                receiveBytes(data.input(), part, offset, size, digest, l, cancel);
            } catch (EOFException e) {
                throw new NetdiskConnectionException("data connection closed early: " + e.getMessage()
                        + " (the partial file " + part.getFileName() + " is kept; run again to resume)", e);
            } catch (SocketException | SocketTimeoutException e) {
                checkCancelled(cancel, absolute);
                throw new NetdiskConnectionException("data connection lost during download: " + e.getMessage()
                        + " (the partial file " + part.getFileName() + " is kept; run again to resume)", e);
            }
            Reply done = readFinal(data, cancel, absolute);
            if (done.code() != 226) {
                throw new NetdiskReplyException(done.code(), done.text());
            }
        } finally {
            if (cancel != null) {
                cancel.detach();
            }
        }
        String actual = Md5.hex(digest);
        if (!actual.equals(md5)) {
            Files.deleteIfExists(part);
            throw new ChecksumMismatchException("checksum mismatch: expected " + md5 + ", received " + actual
                    + " (the partial file was discarded)", md5, actual);
        }
        if (options.overwrite()) {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        }
        return new TransferResult(absolute, target, size, md5, offset);
    }

    /** Says {@code QUIT} and closes the connection without waiting for the answer. Never throws. */
    @Override
    public void close() {
        if (control.isOpen()) {
            control.sendQuietly("QUIT");
        }
        control.close();
    }

    private Reply request(String line) throws IOException {
        return control.request(line);
    }

    private String uploadTarget(Path local, String remote) throws IOException {
        String name = local.getFileName().toString();
        if (remote == null || remote.isEmpty()) {
            return name;
        }
        if (remote.endsWith("/")) {
            return remote + name;
        }
        try {
            if (stat(remote).isDirectory()) {
                return RemotePaths.join(remote, name);
            }
        } catch (NetdiskReplyException e) {
            if (e.code() != 550) {
                throw e;
            }
        }
        return remote;
    }

    private static Path downloadTarget(String remote, Path local) {
        String name = RemotePaths.basename(remote);
        if (local == null) {
            return Path.of(name.isEmpty() ? "." : name).toAbsolutePath();
        }
        if (Files.isDirectory(local) && !name.isEmpty()) {
            return local.resolve(name).toAbsolutePath();
        }
        return local.toAbsolutePath();
    }

    /** The absolute form of a remote path, for reports; the server resolves the real one. */
    private String absolute(String path) {
        return path.startsWith("/") ? path : RemotePaths.join(cwd, path);
    }

    private static void sendBytes(Path local, long offset, long size, OutputStream out, TransferListener l,
                                  Cancellation cancel) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(CHUNK);
        try (FileChannel ch = FileChannel.open(local, StandardOpenOption.READ)) {
            ch.position(offset);
            long position = offset;
            while (position < size) {
                if (cancel != null && cancel.isCancelled()) {
                    throw new SocketException("cancelled");
                }
                buf.clear();
                buf.limit((int) Math.min(buf.capacity(), size - position));
                int n = ch.read(buf);
                if (n < 0) {
                    throw new IOException(local + " shrank during the upload");
                }
                out.write(buf.array(), 0, n);
                position += n;
                l.progress(position);
            }
            out.flush();
        }
    }

    private static void receiveBytes(InputStream in, Path part, long offset, long size, MessageDigest digest,
                                     TransferListener l, Cancellation cancel) throws IOException {
        byte[] buf = new byte[CHUNK];
        try (FileChannel ch = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.truncate(offset);
            ch.position(offset);
            long position = offset;
            while (position < size) {
                if (cancel != null && cancel.isCancelled()) {
                    throw new SocketException("cancelled");
                }
                int n = in.read(buf, 0, (int) Math.min(buf.length, size - position));
                if (n < 0) {
                    throw new EOFException("got " + position + " of " + size + " bytes");
                }
                digest.update(buf, 0, n);
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                while (bb.hasRemaining()) {
                    ch.write(bb);
                }
                position += n;
                l.progress(position);
            }
            ch.force(true);
        }
    }

    private DataConnection openData(String ticket, Cancellation cancel, String path) throws IOException {
        try {
            return DataConnection.open(host, port, ticket, CONNECT_TIMEOUT, DATA_TIMEOUT, cancel);
        } catch (NetdiskReplyException e) {
            throw e;
        } catch (IOException e) {
            checkCancelled(cancel, path);
            throw e;
        }
    }

    private static Reply readFinal(DataConnection data, Cancellation cancel, String path) throws IOException {
        try {
            return data.readReply();
        } catch (IOException e) {
            checkCancelled(cancel, path);
            throw e;
        }
    }

    private static void checkCancelled(Cancellation cancel, String path) throws TransferCancelledException {
        if (cancel != null && cancel.isCancelled()) {
            throw new TransferCancelledException("transfer of " + path + " cancelled");
        }
    }

    private static IOException failure(Reply reply, String md5) {
        if (reply.code() == 554) {
            return new ChecksumMismatchException(reply.toString(), md5, null);
        }
        return new NetdiskReplyException(reply.code(), reply.text());
    }

    private static String quotedPath(Reply reply) throws NetdiskConnectionException {
        try {
            return ProtocolArgs.firstArg(reply.text());
        } catch (IllegalArgumentException e) {
            throw new NetdiskConnectionException("protocol error: no path in reply: " + reply);
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
