package dev.netdisk.cli.client;

/**
 * Receives the events the server pushes on a control connection (lines beginning {@code "* "},
 * PROTOCOL.md section 7).
 *
 * <p>Called on the connection's reader thread, one event at a time, in arrival order, also while
 * the connection is idle. An implementation must return quickly and must not call back into the
 * same {@link NetdiskClient} (the reader thread delivers that client's replies, so such a call
 * would wait for itself); hand work over to another thread instead.
 */
public interface EventListener {

    /** A chat message to you or to one of your groups (also the offline ones, right after login). */
    void chat(ChatMessage message);

    /** A friend's first connection logged in ({@code * ONLINE}) or their last one ended ({@code * OFFLINE}). */
    default void presence(String user, boolean online) {
    }

    /**
     * Your read marker of {@code conversation} ({@code bob} or {@code #team}) moved to message
     * {@code messageId} on another of your connections ({@code * READ}): the unread count changed.
     * Ignored by default.
     */
    default void read(String conversation, long messageId) {
    }

    /**
     * Any other event, as the text after {@code "* "} (for example {@code "FRIEND REQUEST bob"} or
     * {@code "GROUP KICKED #team alice"}), or an event that could not be parsed. Ignored by default.
     */
    default void other(String event) {
    }

    /** The connection ended (closed by either side, or broken). Ignored by default. */
    default void closed() {
    }
}
