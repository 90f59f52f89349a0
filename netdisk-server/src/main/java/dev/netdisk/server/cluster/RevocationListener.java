package dev.netdisk.server.cluster;

/**
 * What a server does with the revocations made on the other servers on its database
 * ({@code app/RemoteRevocations}). Called on the event bus's thread: hand blocking work over.
 */
public interface RevocationListener {

    /** Another server revoked {@code revocation}: apply it to what runs here. */
    void revoked(ClusterEvent.Revocation revocation);

    /**
     * The bus was cut off from the database and is back: revocations made meanwhile were not
     * heard (notifications are not kept), so check what runs here against the database.
     */
    void mayHaveMissed();
}
