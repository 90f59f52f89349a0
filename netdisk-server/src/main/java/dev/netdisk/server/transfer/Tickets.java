package dev.netdisk.server.transfer;

import dev.netdisk.server.cluster.ClusterEvent;
import dev.netdisk.server.session.Revocations;
import dev.netdisk.server.store.TicketRows;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Queue;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Data-connection tickets: 128 random bits as 32 hex digits, single-use, expiring, stored in the
 * database ({@link TicketRows}, by the SHA-256 of the id) so that any server can take a ticket
 * another issued. Also the leases on kept uploads being received, so one file is never written by
 * two connections at once, on one server or several.
 *
 * <p>This server instance ({@code holder}: random per start) counts what it runs itself in
 * memory, and answers for its own leases from memory: a transfer ends and an upload is let go on
 * the selector thread, which must not wait for the database, so those rows are deleted a moment
 * later on a worker. The rows count for the other instances; {@link #renew} keeps this instance's
 * alive while it runs ({@link #lease}), and a server that dies leaves rows that run out.
 *
 * <p>Thread-safe. {@link #issue}, {@link #take}, {@link #cancel}, {@link #beginUpload},
 * {@link #isUploading}, {@link #renew} and {@link #sweep} block (JDBC): workers only.
 */
public final class Tickets {

    private static final System.Logger LOG = System.getLogger(Tickets.class.getName());

    /** How long a revoked ticket's reason is kept for {@code DATA}'s reply after it expired. */
    private static final Duration KEEP_REVOKED = Duration.ofMinutes(10);

    private final SecureRandom random = new SecureRandom();
    private final TicketRows rows;
    private final String holder;
    private final Executor background;
    /** Kept uploads this instance receives, by blob id (random, never reused, unlike a row id). */
    private final Set<String> activeUploads = ConcurrentHashMap.newKeySet();
    private final Map<Long, Integer> transfersByUser = new ConcurrentHashMap<>();
    /** The ids (lower case) of the tickets whose transfers run here. */
    private final Set<String> runningHere = ConcurrentHashMap.newKeySet();
    /** Rows to delete on a worker ({@link #deleteLater}): ended transfers' ticket ids (hashed there), released leases' blob ids. */
    private final Queue<String> endedRows = new ConcurrentLinkedQueue<>();
    private final Queue<String> releasedLeases = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean deleting = new AtomicBoolean();
    private final Clock clock;
    private final Revocations revocations;
    /** How long a running transfer or an upload lease counts without being renewed. */
    private final Duration lease;

    /**
     * @param holder     this server instance's id, as the rows of what it runs name it
     * @param background where rows are deleted after a transfer or upload ends (the workers)
     * @param lease      how long a row of what this instance runs counts without being renewed
     *                   ({@code upload-lease-seconds}); {@link #renew} must run well within it
     * @param broadcast  tells the other servers on the database of a revocation ({@link Revocations})
     */
    public Tickets(TicketRows rows, String holder, Clock clock, Executor background, Duration lease,
                   java.util.function.Consumer<ClusterEvent.Revocation> broadcast) {
        this.rows = rows;
        this.holder = holder;
        this.clock = clock;
        this.background = background;
        this.lease = lease;
        this.revocations = new Revocations(this::cancel, clock, broadcast);
    }

    /** How long a running transfer or an upload lease counts without being renewed. */
    public Duration lease() {
        return lease;
    }

    /** What each ticket was issued under, to revoke it ({@link Revocations}). */
    public Revocations revocations() {
        return revocations;
    }

    /** This server instance's id in the rows of what it runs. */
    public String holder() {
        return holder;
    }

    /** Marks the ticket {@code id} revoked for {@code why}: refused if unused, stopped by its holder if running. */
    void cancel(String id, String why) {
        try {
            rows.revoke(hash(id), why);
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "could not revoke a ticket in the database", e);
        }
    }

    /** Revokes every ticket of the user named {@code name}, unused or running, whichever server issued or runs it. */
    public void revokeUser(String name, String why) {
        try {
            rows.revokeUser(name, why);
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "could not revoke the tickets of " + name, e);
        }
    }

    /**
     * Stores {@code ticket} and returns its id; empty when its user already holds
     * {@code maxPerUser} unused tickets ({@code 0}: no limit).
     */
    public Optional<String> issue(Ticket ticket, int maxPerUser) throws SQLException {
        String id = newId();
        return rows.insert(hash(id), ticket.user().id(), TicketGrants.encode(ticket),
                ticket.expiresAt().toEpochMilli(), clock.millis(), maxPerUser, reservation(ticket))
                ? Optional.of(id) : Optional.empty();
    }

    /**
     * As {@link #issue(Ticket, int)}, inside the caller's write transaction on {@code c}: {@code
     * UPLOAD}'s quota check. The row of an upload not kept for resume (a small file) carries its
     * reservation ({@link TicketRows.Reservation}): the size that {@link
     * dev.netdisk.server.store.Quotas} counts, on every server, until the file is stored or the
     * ticket ends.
     */
    public Optional<String> issue(Connection c, Ticket ticket, int maxPerUser) throws SQLException {
        String id = newId();
        return rows.insert(c, hash(id), ticket.user().id(), TicketGrants.encode(ticket),
                ticket.expiresAt().toEpochMilli(), clock.millis(), maxPerUser, reservation(ticket))
                ? Optional.of(id) : Optional.empty();
    }

    /** What {@code ticket}'s row reserves: an unkept upload's size, path and blob; null for any other. */
    private static TicketRows.Reservation reservation(Ticket ticket) {
        return ticket instanceof Ticket.Upload u && !u.partial().kept()
                ? new TicketRows.Reservation(u.size(), u.path().toString(), u.partial().blobId()) : null;
    }

    /**
     * Ends the reservation of {@code userId}'s unkept upload into blob {@code blobId}: it was refused
     * before its commit (a checksum mismatch, a bad trailer), so its size stops counting before the
     * refusal is answered, not when its ticket's row is deleted a moment later. Worker.
     */
    public void endReservation(long userId, String blobId) {
        try {
            rows.endReservation(userId, blobId);
        } catch (SQLException e) {
            // Deleting the ticket's row when its connection closes ends it anyway, a moment later.
            LOG.log(System.Logger.Level.WARNING, "could not end the reservation of a refused upload", e);
        }
    }

    /** What {@link #take} found. */
    public sealed interface Taking {
    }

    /** The ticket, taken: it cannot be used again. Its transfer is counted until {@link #ended}. */
    public record Taken(Ticket ticket) implements Taking {
    }

    /** The ticket was taken but its user already runs {@code max} transfers: it is used up. */
    public record Busy(int max) implements Taking {
    }

    /** Unknown, used or expired; or revoked, and why. */
    public record Refused(Optional<String> revokedWhy) implements Taking {
    }

    /**
     * Takes the ticket {@code id} (one statement: of two connections racing, on one server or two,
     * one gets it) and counts its transfer against {@code maxTransfersPerUser} (0: no limit).
     */
    public Taking take(String id, int maxTransfersPerUser) throws SQLException {
        long now = clock.millis();
        long[] admitted = {-1};
        TicketRows.Taken taken;
        try {
            taken = rows.take(hash(id), holder, now, now + lease.toMillis(), maxTransfersPerUser > 0,
                    (userId, elsewhere) -> {
                        boolean ok = beginTransfer(userId, maxTransfersPerUser, elsewhere);
                        admitted[0] = ok ? userId : -1;
                        return ok;
                    });
        } catch (SQLException e) {
            if (admitted[0] >= 0) {
                // Counted, then the commit failed: the ticket is still unused, the slot is not taken.
                transfersByUser.computeIfPresent(admitted[0], (u, n) -> n <= 1 ? null : n - 1);
            }
            throw e;
        }
        if (taken instanceof TicketRows.Granted g) {
            runningHere.add(id.toLowerCase(Locale.ROOT));
            return new Taken(TicketGrants.decode(g.grant()));
        }
        if (taken instanceof TicketRows.TooMany) {
            return new Busy(maxTransfersPerUser);
        }
        return new Refused(((TicketRows.Refused) taken).revokedWhy());
    }

    /** The transfer of the taken ticket {@code id} of {@code userId} ended (any thread; once). */
    public void ended(String id, long userId) {
        // On the selector thread for most transfers: the row's hash is taken on the worker that deletes it.
        runningHere.remove(id.toLowerCase(Locale.ROOT));
        transfersByUser.computeIfPresent(userId, (u, n) -> n <= 1 ? null : n - 1);
        endedRows.add(id);
        deleteLater();
    }

    private boolean beginTransfer(long userId, int max, long elsewhere) {
        boolean[] granted = new boolean[1];
        transfersByUser.compute(userId, (u, n) -> {
            int here = n == null ? 0 : n;
            granted[0] = max == 0 || here + elsewhere < max;
            return granted[0] ? here + 1 : n;
        });
        return granted[0];
    }

    /**
     * Leases the kept upload whose bytes are in blob {@code blobId} to this instance; false when a
     * connection here or on another server receives it.
     */
    public boolean beginUpload(String blobId) throws SQLException {
        if (!activeUploads.add(blobId)) {
            return false;
        }
        long now = clock.millis();
        boolean leased = false;
        try {
            leased = rows.lease(blobId, holder, now, now + lease.toMillis());
        } finally {
            if (!leased) {
                activeUploads.remove(blobId);
            }
        }
        return leased;
    }

    /** Whether the kept upload whose bytes are in blob {@code blobId} is being received, here or elsewhere. */
    public boolean isUploading(String blobId) {
        if (activeUploads.contains(blobId)) {
            return true;
        }
        try {
            return rows.leasedElsewhere(blobId, holder, clock.millis());
        } catch (SQLException e) {
            // Taken as busy: a resume refused for a moment is better than two writers.
            LOG.log(System.Logger.Level.WARNING, "could not read the upload leases", e);
            return true;
        }
    }

    /** Lets go of this instance's lease on blob {@code blobId} (any thread). */
    public void endUpload(String blobId) {
        if (activeUploads.remove(blobId)) {
            releasedLeases.add(blobId);
            deleteLater();
        }
    }

    /**
     * Renews the leases of what this instance runs (the heartbeat thread, every few seconds, well
     * within {@link #lease}), and stops the transfers running here on tickets revoked meanwhile, by
     * another server or for a ticket issued elsewhere. Returns how many rows were renewed.
     */
    public int renew() throws SQLException {
        int renewed = rows.renew(holder, clock.millis() + lease.toMillis());
        if (!runningHere.isEmpty()) {
            Map<String, String> revoked = rows.revokedRunning(holder);
            if (!revoked.isEmpty()) {
                // Rows name tickets by hash: hash what runs here, only when something was revoked.
                for (String id : runningHere) {
                    String why = revoked.get(HexFormat.of().formatHex(hash(id)));
                    if (why != null) {
                        revocations.revokeTicket(id, why);
                    }
                }
            }
        }
        return renewed;
    }

    /**
     * A graceful stop, once the workers are done: frees every transfer and lease of this instance in
     * the database at once (their row deletes may not have run: the workers were stopping).
     */
    public void releaseAll() throws SQLException {
        activeUploads.clear();
        transfersByUser.clear();
        rows.releaseAll(holder);
    }

    /** Deletes expired tickets, and rows of transfers and leases that ran out (a worker). Returns how many. */
    public int sweep() throws SQLException {
        return rows.sweep(clock.millis(), KEEP_REVOKED.toMillis());
    }

    /**
     * Deletes the rows of ended transfers and released leases on a worker: one task and one
     * transaction for all those queued meanwhile (a burst of small files ends many at once).
     */
    private void deleteLater() {
        if (deleting.getAndSet(true)) {
            return; // the queued task takes these too
        }
        try {
            background.execute(this::deleteQueued);
        } catch (RejectedExecutionException stopping) {
            deleting.set(false); // stopping: releaseAll deletes them, or their lease runs out
        }
    }

    private void deleteQueued() {
        deleting.set(false);
        List<byte[]> ended = new ArrayList<>();
        List<String> released = new ArrayList<>();
        for (String id; (id = endedRows.poll()) != null; ) {
            ended.add(hash(id));
        }
        for (String b; (b = releasedLeases.poll()) != null; ) {
            released.add(b);
        }
        if (ended.isEmpty() && released.isEmpty()) {
            return;
        }
        try {
            rows.endedAll(ended, released, holder);
        } catch (SQLException e) {
            // The rows' leases run out instead: they stop counting within the lease.
            LOG.log(System.Logger.Level.WARNING, "could not delete the rows of " + ended.size()
                    + " ended transfers and " + released.size() + " released leases", e);
        }
    }

    private String newId() {
        byte[] raw = new byte[16];
        random.nextBytes(raw);
        return HexFormat.of().formatHex(raw);
    }

    /** The SHA-256 of a ticket id, in lower case as issued: what the database keeps instead of the id. */
    static byte[] hash(String id) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(id.toLowerCase(Locale.ROOT)
                    .getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
