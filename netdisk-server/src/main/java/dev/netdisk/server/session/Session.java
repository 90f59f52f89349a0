package dev.netdisk.server.session;

import dev.netdisk.protocol.RemotePath;
import dev.netdisk.server.store.User;
import java.util.Optional;

/**
 * The state of one control connection: who is logged in, with which token, and the working
 * directory. Typed fields, not an attribute map.
 *
 * <p>Commands of one connection run one at a time, but not always on the same thread (the selector
 * thread or a worker), so the fields are volatile; no two threads write them at once.
 */
public final class Session {

    /** Where events for this session go: the connection, which writes them between replies. */
    public interface EventSink {
        /** Queues one event line (without its LF); callable from any thread. */
        void push(String eventLine);

        /**
         * Queues one event line already encoded, LF included; selector thread only. One encoding
         * serves every recipient of a message.
         */
        void pushEncoded(byte[] eventLineWithLf);

        /**
         * Holds events pushed from now on until the running command's outcome is written, then
         * writes them after it (less the chat messages that outcome carried); callable from any
         * thread. How {@code LISTEN} keeps its backlog before the messages pushed meanwhile.
         */
        void holdEvents();

        /**
         * Ends the connection with {@code 421 reason} once the reply being written is out (an
         * administrator disabled the account); callable from any thread.
         */
        void disconnect(String reason);
    }

    private final EventSink events;
    private final String remoteAddress;
    private final String ip;
    private volatile User user;
    private volatile byte[] tokenHash;
    private volatile RemotePath cwd = RemotePath.ROOT;
    private volatile boolean listening;
    /** Whether this connection finished a TLS handshake ({@code AUTH TLS}). */
    private volatile boolean tls;

    /**
     * @param remoteAddress the peer as logs show it ({@code /127.0.0.1:50123})
     * @param ip            the peer's IP address alone, for per-address limits
     */
    public Session(EventSink events, String remoteAddress, String ip) {
        this.events = events;
        this.remoteAddress = remoteAddress;
        this.ip = ip;
    }

    /** The logged-in user, if any. */
    public Optional<User> user() {
        return Optional.ofNullable(user);
    }

    /** The logged-in user; only for commands that need a login (the dispatcher checked it). */
    public User requireUser() {
        User u = user;
        if (u == null) {
            throw new IllegalStateException("no user logged in");
        }
        return u;
    }

    public boolean isLoggedIn() {
        return user != null;
    }

    /** Marks the session logged in as {@code user} with the token whose hash is {@code tokenHash}. */
    public void login(User newUser, byte[] newTokenHash) {
        this.tokenHash = newTokenHash;
        this.cwd = RemotePath.ROOT;
        this.user = newUser;
    }

    /** Returns the session to the logged-out state, giving back the token hash it held. */
    public byte[] logout() {
        byte[] hash = tokenHash;
        user = null;
        tokenHash = null;
        cwd = RemotePath.ROOT;
        return hash;
    }

    /** The SHA-256 of the token this session logged in with or resumed, or null when logged out. */
    public byte[] tokenHash() {
        return tokenHash;
    }

    /** Whether this session asked for events ({@code LISTEN}): set by {@link Presence} only. */
    public boolean isListening() {
        return listening;
    }

    void listening(boolean on) {
        this.listening = on;
    }

    public RemotePath cwd() {
        return cwd;
    }

    public void cd(RemotePath path) {
        this.cwd = path;
    }

    /** Whether the connection runs over TLS: {@code AUTH TLS} and its handshake are done. */
    public boolean isTls() {
        return tls;
    }

    /** Records the end of a successful TLS handshake (selector thread). */
    public void tlsStarted() {
        tls = true;
    }

    public String remoteAddress() {
        return remoteAddress;
    }

    /** The peer's IP address, for per-address limits. */
    public String ip() {
        return ip;
    }

    /** Sends an event line to this session's connection. */
    public void push(String eventLine) {
        events.push(eventLine);
    }

    /** Holds this session's events until the running command is answered; any thread. See {@link EventSink#holdEvents}. */
    public void holdEvents() {
        events.holdEvents();
    }

    /** Ends this session's connection with {@code 421 reason}; any thread. See {@link EventSink#disconnect}. */
    public void disconnect(String reason) {
        events.disconnect(reason);
    }

    /** Sends an encoded event line (UTF-8, LF included) to this session's connection; selector thread only. */
    public void pushEncoded(byte[] eventLineWithLf) {
        events.pushEncoded(eventLineWithLf);
    }
}
