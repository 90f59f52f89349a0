package dev.netdisk.server.transfer;

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
    private final Set<Long> activeUploads = ConcurrentHashMap.newKeySet();
    private final Clock clock;

    public Tickets(Clock clock) {
        this.clock = clock;
    }

    /** Registers {@code ticket} and returns its id. */
    public String issue(Ticket ticket) {
        byte[] raw = new byte[16];
        random.nextBytes(raw);
        String id = HexFormat.of().formatHex(raw);
        byId.put(id, ticket);
        return id;
    }

    /** Takes the ticket {@code id} (it cannot be used again); empty when unknown or expired. */
    public Optional<Ticket> take(String id) {
        Ticket t = byId.remove(id.toLowerCase(java.util.Locale.ROOT));
        if (t == null || !clock.instant().isBefore(t.expiresAt())) {
            return Optional.empty();
        }
        return Optional.of(t);
    }

    /** Drops expired tickets; returns how many. */
    public int purgeExpired() {
        var now = clock.instant();
        int before = byId.size();
        byId.values().removeIf(t -> !now.isBefore(t.expiresAt()));
        return before - byId.size();
    }

    /** Marks the kept upload {@code partialId} as being received; false when it already is. */
    public boolean beginUpload(long partialId) {
        return activeUploads.add(partialId);
    }

    /** Whether the kept upload {@code partialId} is being received. */
    public boolean isUploading(long partialId) {
        return activeUploads.contains(partialId);
    }

    /** Marks the kept upload {@code partialId} as no longer being received. */
    public void endUpload(long partialId) {
        activeUploads.remove(partialId);
    }
}
