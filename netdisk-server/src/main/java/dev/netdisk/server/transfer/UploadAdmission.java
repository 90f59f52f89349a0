package dev.netdisk.server.transfer;

import dev.netdisk.protocol.ReplyCode;
import dev.netdisk.protocol.RemotePath;
import dev.netdisk.server.protocol.CommandException;
import dev.netdisk.server.store.FileTree;
import dev.netdisk.server.store.IsDirectoryException;
import dev.netdisk.server.store.Node;
import dev.netdisk.server.store.QuotaExceededException;
import dev.netdisk.server.store.Quotas;
import dev.netdisk.server.store.ReadOnlyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Whether an upload may be stored at its path: the one rule behind {@code UPLOAD}, a batch's
 * {@code UPLOAD} lines and the commit that makes a file visible ({@code docs/PROTOCOL.md}
 * section 6, the refusals of {@code UPLOAD}, {@code DATA} and {@code BATCH}).
 *
 * <ul>
 *   <li>{@link #checkTarget}: never {@code /}, never under {@code /shared} (no lookup: the selector
 *       may call it while it frames a batch line).
 *   <li>{@link #placementRefusal}: the parent is a directory, no directory is in the way, a file is
 *       there only with {@code overwrite}. {@link FileTree#commitFiles} applies it inside the
 *       commit's transaction, where it has the last word; {@link #admit} applies it before any byte
 *       moves.
 *   <li>{@link #checkQuota}: the bytes fit, counting what an overwrite frees and what the caller
 *       has handed to the commit and not yet seen committed (a batch's files).
 * </ul>
 *
 * <p>A refusal reads the same whenever it comes ({@link #placementError}): before the bytes
 * ({@code UPLOAD}, a batch's big file) or at the commit (another upload won a race, or a batch's
 * small file, whose path is first checked there), it names the remedy ({@code no such directory},
 * {@code --overwrite to replace it}).
 *
 * <p>Thread-safe. {@link #admit} and {@link #checkQuota} block (JDBC): workers only.
 */
public final class UploadAdmission {

    private final FileTree tree;
    private final Quotas quotas;

    public UploadAdmission(FileTree tree, Quotas quotas) {
        this.tree = tree;
        this.quotas = quotas;
    }

    /**
     * Refuses a target no upload may have, without a lookup: the root ({@code 550 is a directory: /})
     * and the read-only {@code /shared} view ({@code 550 read-only}). Any thread.
     */
    public static void checkTarget(RemotePath path) throws CommandException, ReadOnlyException {
        if (path.isRoot()) {
            throw new CommandException(ReplyCode.FILE_UNAVAILABLE, "is a directory: /");
        }
        FileTree.checkWritable(path);
    }

    /**
     * Why a file may not be placed at {@code path}, given what is there now, or null when it may:
     * {@link ReadOnlyException} under {@code /shared}, {@link NoSuchFileException} (naming the parent)
     * when the parent is missing or a file, {@link IsDirectoryException} when a directory is at
     * {@code path}, {@link FileAlreadyExistsException} when a file is there and not {@code overwrite}.
     * Pure: the caller looks {@code parent} and {@code existing} up (in the commit, inside its
     * transaction). {@code existing} is only looked at when {@code parent} is a directory.
     */
    public static FileSystemException placementRefusal(RemotePath path, boolean overwrite, Optional<Node> parent,
                                                       Optional<Node> existing) {
        if (FileTree.isSharedView(path)) {
            return new ReadOnlyException(path);
        }
        if (parent.isEmpty() || !parent.get().directory()) {
            return new NoSuchFileException(path.parent().toString());
        }
        if (existing.isPresent() && existing.get().directory()) {
            return new IsDirectoryException(path.toString());
        }
        if (existing.isPresent() && !overwrite) {
            return new FileAlreadyExistsException(path.toString());
        }
        return null;
    }

    /**
     * {@code UPLOAD}, before any byte moves: the target, the placement and the quota (an overwrite
     * needs only what the new file adds to the old one). Worker.
     *
     * @throws CommandException        {@code 550 is a directory}, {@code 550 no such directory},
     *                                 {@code 521 already exists ... (--overwrite to replace it)}
     * @throws ReadOnlyException       under {@code /shared}
     * @throws QuotaExceededException  when the file does not fit
     */
    public void admit(long userId, RemotePath path, long size, boolean overwrite) throws CommandException,
            FileSystemException, QuotaExceededException, SQLException {
        Optional<Node> existing = placement(userId, path, overwrite);
        checkQuota(userId, path, size, overwrite ? existing : Optional.empty(), 0);
    }

    /**
     * {@link #admit} for an upload not kept for resume (a small file), whose reservation is its
     * ticket's row: the quota is checked and {@code reservation} made (the row inserted) in one write
     * transaction ({@link Quotas#reserveUnkeptUpload}), so announcements on many connections at one
     * instant, on any servers, can never exceed the quota together. Worker.
     *
     * @throws X what {@code reservation} throws ({@code 450 too many unused tickets})
     */
    public <X extends Exception> void admitUnkept(long userId, RemotePath path, long size, boolean overwrite,
                                                  Quotas.Reservation<X> reservation)
            throws CommandException, FileSystemException, QuotaExceededException, SQLException, X {
        Optional<Node> replaced = overwrite ? placement(userId, path, true) : placementAndEmpty(userId, path);
        long freed = replaced.filter(n -> !n.directory()).map(Node::size).orElse(0L);
        quotas.reserveUnkeptUpload(userId, path, size, size - freed, replaced.isPresent() ? 0 : 1, reservation);
    }

    private Optional<Node> placementAndEmpty(long userId, RemotePath path) throws CommandException,
            FileSystemException, SQLException {
        placement(userId, path, false);
        return Optional.empty();
    }

    /** The target and placement checks of {@link #admit}; returns what is at {@code path} now. */
    private Optional<Node> placement(long userId, RemotePath path, boolean overwrite) throws CommandException,
            FileSystemException, SQLException {
        checkTarget(path);
        Optional<Node> parent = tree.find(userId, path.parent());
        Optional<Node> existing = parent.filter(Node::directory).isPresent() ? tree.find(userId, path) : Optional.empty();
        FileSystemException refusal = placementRefusal(path, overwrite, parent, existing);
        CommandException error = placementError(path, refusal);
        if (error != null) {
            throw error;
        }
        if (refusal != null) {
            throw refusal;
        }
        return existing;
    }

    /**
     * The reply for a {@link #placementRefusal} of {@code path}, the same before the bytes and at the
     * commit: {@code 550 no such directory: /a}, {@code 521 already exists: /a/x (--overwrite to
     * replace it)}, {@code 550 is a directory: /a/x}.
     *
     * @return null when {@code refusal} is none of these (read-only, a database or disk failure:
     *         {@code ErrorReplies} maps those)
     */
    public static CommandException placementError(RemotePath path, Exception refusal) {
        if (refusal instanceof NoSuchFileException e && path.parent().toString().equals(e.getFile())) {
            return new CommandException(ReplyCode.FILE_UNAVAILABLE, "no such directory: " + path.parent());
        }
        if (refusal instanceof FileAlreadyExistsException e && path.toString().equals(e.getFile())) {
            return new CommandException(ReplyCode.ALREADY_EXISTS, "already exists: " + path
                    + " (--overwrite to replace it)");
        }
        if (refusal instanceof IsDirectoryException e && path.toString().equals(e.getFile())) {
            return new CommandException(ReplyCode.FILE_UNAVAILABLE, "is a directory: " + path);
        }
        return null;
    }

    /**
     * A batch's upload, its bytes in and verified, before it goes to the commit: the quota only (the
     * commit checks the placement, {@link #placementRefusal}). Looks up the file to be replaced only
     * for an {@code overwrite}. Worker.
     *
     * @param uncommitted bytes the caller handed to the commit that are not committed yet: counted
     *                    as used
     */
    public void checkQuota(long userId, RemotePath path, long size, boolean overwrite, long uncommitted)
            throws SQLException, QuotaExceededException {
        checkQuota(userId, path, size, overwrite ? tree.find(userId, path) : Optional.empty(), uncommitted);
    }

    /** {@code replaced}: the node an overwrite replaces; its bytes are freed when it is a file. */
    private void checkQuota(long userId, RemotePath path, long size, Optional<Node> replaced, long uncommitted)
            throws SQLException, QuotaExceededException {
        long freed = replaced.filter(n -> !n.directory()).map(Node::size).orElse(0L);
        // Reservations of unfinished uploads count as used (Quotas); a new file is one more entry.
        quotas.checkUpload(userId, path, size, size - freed + uncommitted, replaced.isPresent() ? 0 : 1);
    }
}
