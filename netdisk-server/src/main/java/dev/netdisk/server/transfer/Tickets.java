package dev.netdisk.server.transfer;

import dev.netdisk.server.session.Revocations;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Data-connection tickets: 128 random bits as 32 hex digits, single-use, expiring.
 * Also tracks which kept uploads are being received, so one file is never written by two
 * connections at once.
 *
 * <p>Thread-safe.
 */
public final class Tickets {

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Ticket> byId = new ConcurrentHashMap<>();
    // Keyed by the kept upload's blob id, which is random and never reused: a row id could be reused by
    // SQLite as soon as a finishing upload's commit deletes its row, while the upload still holds it.
    private final Set<String> activeUploads = ConcurrentHashMap.newKeySet();
    private final Map<Long, Integer> pendingByUser = new ConcurrentHashMap<>();
    private final Map<Long, Integer> transfersByUser = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Revocations revocations;

    public Tickets(Clock clock) {
        this.clock = clock;
        this.revocations = new Revocations(this::cancel, clock);
    }

    /** What each ticket was issued under, to revoke it ({@link Revocations}). */
    public Revocations revocations() {
        return revocations;
    }

    /** Removes the unused ticket {@code id}, if it is still there (it was revoked). */
    public void cancel(String id) {
        Ticket t = byId.remove(id);
        if (t != null) {
            release(pendingByUser, t.user().id());
        }
    }

    /**
     * Registers {@code ticket} and returns its id; empty when its user already holds
     * {@code maxPerUser} unused tickets ({@code 0}: no limit).
     */
    public Optional<String> issue(Ticket ticket, int maxPerUser) {
        if (!acquire(pendingByUser, ticket.user().id(), maxPerUser)) {
            return Optional.empty();
        }
        byte[] raw = new byte[16];
        random.nextBytes(raw);
        String id = HexFormat.of().formatHex(raw);
        byId.put(id, ticket);
        return Optional.of(id);
    }

    /** Takes the ticket {@code id} (it cannot be used again); empty when unknown or expired. */
    public Optional<Ticket> take(String id) {
        Ticket t = byId.remove(id.toLowerCase(java.util.Locale.ROOT));
        if (t == null) {
            return Optional.empty();
        }
        release(pendingByUser, t.user().id());
        return clock.instant().isBefore(t.expiresAt()) ? Optional.of(t) : Optional.empty();
    }

    /** Drops expired tickets; returns how many. */
    public int purgeExpired() {
        var now = clock.instant();
        int removed = 0;
        for (Map.Entry<String, Ticket> e : byId.entrySet()) {
            Ticket t = e.getValue();
            if (!now.isBefore(t.expiresAt()) && byId.remove(e.getKey(), t)) {
                release(pendingByUser, t.user().id());
                removed++;
            }
        }
        return removed;
    }

    /** Marks the kept upload whose bytes are in blob {@code blobId} as being received; false when it already is. */
    public boolean beginUpload(String blobId) {
        return activeUploads.add(blobId);
    }

    /** Whether the kept upload whose bytes are in blob {@code blobId} is being received. */
    public boolean isUploading(String blobId) {
        return activeUploads.contains(blobId);
    }

    /** Marks the kept upload whose bytes are in blob {@code blobId} as no longer being received. */
    public void endUpload(String blobId) {
        activeUploads.remove(blobId);
    }

    /**
     * Counts a data connection of {@code userId} that starts moving bytes; false when the user
     * already has {@code maxPerUser} ({@code 0}: no limit). Each true is matched by one
     * {@link #endTransfer}.
     */
    public boolean beginTransfer(long userId, int maxPerUser) {
        return acquire(transfersByUser, userId, maxPerUser);
    }

    /** Ends what one {@link #beginTransfer} counted. */
    public void endTransfer(long userId) {
        release(transfersByUser, userId);
    }

    private static boolean acquire(Map<Long, Integer> counts, long userId, int max) {
        boolean[] granted = new boolean[1];
        counts.compute(userId, (id, n) -> {
            int current = n == null ? 0 : n;
            granted[0] = max == 0 || current < max;
            return granted[0] ? current + 1 : n;
        });
        return granted[0];
    }

    private static void release(Map<Long, Integer> counts, long userId) {
        counts.computeIfPresent(userId, (id, n) -> n <= 1 ? null : n - 1);
    }
}
