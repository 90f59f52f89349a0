package dev.netdisk.server.store;

import dev.netdisk.protocol.RemotePath;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import dev.netdisk.server.crypt.IntegrityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Every user's file tree, kept as rows of the {@code nodes} table. Paths are walked name by name
 * from the user's root, so a user can never reach a node of another.
 *
 * <p>Thread-safe; blocking (JDBC): never call from the selector thread.
 */
public final class FileTree {

    /**
     * The name of the read-only view of what friends share with a user ({@code /shared/<owner>/...}):
     * reserved at the top of every user's tree.
     */
    public static final String SHARED_VIEW = "shared";

    private final Database db;
    private final Clock clock;
    /** The data keys of file content; null for a tree that never reads or writes content (admin). */
    private final DataKeys keys;

    /** A tree whose content is encrypted at rest with data keys under {@code keys}' master key. */
    public FileTree(Database db, Clock clock, DataKeys keys) {
        this.db = db;
        this.clock = clock;
        this.keys = keys;
    }

    /**
     * A tree for administration that changes metadata only (deleting a user's files, with their
     * content rows and keys): it cannot store or read content.
     */
    public FileTree(Database db, Clock clock) {
        this(db, clock, null);
    }

    /** The data keys of the content: where a blob file's key is found. */
    public DataKeys keys() {
        if (keys == null) {
            throw new IllegalStateException("this file tree has no master key: metadata only");
        }
        return keys;
    }

    /** Every blob id a file refers to, live or in the trash (trashed nodes keep their rows). */
    public Set<String> referencedBlobs() throws SQLException {
        return db.read(StoreSql::referencedBlobs);
    }

    /** How committing one {@link NewFile} ended ({@link #commitFiles}). */
    public sealed interface CommitResult {
    }

    /** A {@link NewFile} made visible: the new node and the blob it replaced, if any. */
    public record Commit(Node node, Optional<String> replacedBlobId) implements CommitResult {
    }

    /**
     * A {@link NewFile} refused, nothing of it changed.
     *
     * @param reason {@link FileAlreadyExistsException} (a file is there, no {@code overwrite}),
     *               {@link IsDirectoryException} (a directory is there), {@link NoSuchFileException}
     *               (the parent is missing or a file), {@link ReadOnlyException} (under
     *               {@code /shared}) or {@link SQLException}
     */
    public record Refused(Exception reason) implements CommitResult {
    }

    /** Creates the root directory of a new user, inside the caller's transaction. */
    void createRoot(Connection c, long userId) throws SQLException {
        StoreSql.insertDirectory(c, userId, null, "", clock.millis());
    }

    /** The node at {@code path}, if there is one. */
    public Optional<Node> find(long userId, RemotePath path) throws SQLException {
        return db.read(c -> StoreSql.find(c, userId, path));
    }

    /**
     * The node at {@code path}.
     *
     * @throws NoSuchFileException when nothing is there
     */
    public Node lookup(long userId, RemotePath path) throws SQLException, NoSuchFileException {
        return find(userId, path).orElseThrow(() -> new NoSuchFileException(path.toString()));
    }

    /**
     * The directory at {@code path}.
     *
     * @throws NoSuchFileException   when nothing is there
     * @throws NotDirectoryException when a file is there
     */
    public Node directory(long userId, RemotePath path) throws SQLException, NoSuchFileException,
            NotDirectoryException {
        Node node = lookup(userId, path);
        if (!node.directory()) {
            throw new NotDirectoryException(path.toString());
        }
        return node;
    }

    /** Receives the entries of a listing, one call per entry, on the caller's thread. */
    @FunctionalInterface
    public interface EntrySink {
        /**
         * One entry.
         *
         * @param size        bytes; 0 for a directory
         * @param mtimeMillis milliseconds since the epoch
         * @param md5         32 lower-case hex digits in ASCII; {@code null} for a directory
         * @param name        the name in UTF-8 (NFC, as stored)
         */
        void entry(boolean directory, long size, long mtimeMillis, byte[] md5, byte[] name);
    }

    /**
     * The entries of the directory at {@code path} sorted by name (Unicode code point order: SQLite's
     * BINARY collation compares UTF-8 bytes), or the one file at {@code path}, streamed into
     * {@code sink} from the query's rows as bytes: a
     * big directory is never held as {@link Node}s or strings. One query for the directory's rows
     * (by the index on (parent_id, name), already in name order), after the path's lookup.
     *
     * @return how many entries were given to {@code sink}
     * @throws NoSuchFileException when nothing is there
     */
    public int list(long userId, RemotePath path, EntrySink sink) throws SQLException, NoSuchFileException {
        int count = db.read(c -> {
            List<Node> nodes;
            if (isSharedView(path) && path.names().size() <= 2) {
                nodes = SharedView.listVirtual(c, userId, path).orElse(null);
            } else {
                Optional<Node> node = StoreSql.find(c, userId, path);
                if (node.isEmpty()) {
                    nodes = null;
                } else if (!node.get().directory()) {
                    nodes = List.of(node.get());
                } else {
                    PreparedStatement ps = Database.prepared(c, StoreSql.LIST_SQL);
                    ps.setLong(1, node.get().id());
                    int n = 0;
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            // columns: id, parent_id, name, is_dir, size, md5, blob_id, mtime
                            sink.entry(rs.getInt(4) != 0, rs.getLong(5), rs.getLong(8), rs.getBytes(6), rs.getBytes(3));
                            n++;
                        }
                    }
                    return n;
                }
            }
            if (nodes == null) {
                return -1;
            }
            for (Node n : nodes) {
                sink.entry(n.directory(), n.size(), n.mtimeMillis(),
                        n.md5() == null ? null : n.md5().getBytes(StandardCharsets.US_ASCII),
                        n.name().getBytes(StandardCharsets.UTF_8));
            }
            return nodes.size();
        });
        if (count < 0) {
            throw new NoSuchFileException(path.toString());
        }
        return count;
    }

    /**
     * Creates the directory {@code path}.
     *
     * @param parents create missing parents, and accept an existing directory ({@code mkdir -p})
     * @return the directory's node
     * @throws FileAlreadyExistsException when something is at {@code path} (without {@code parents}),
     *                                    or a file stands on the way (with it)
     * @throws NoSuchFileException        when the parent is missing (without {@code parents})
     * @throws NotDirectoryException      when the parent is a file (without {@code parents})
     * @throws ReadOnlyException          when {@code path} is in the {@code /shared} view
     */
    public Node makeDirectory(long userId, RemotePath path, boolean parents) throws SQLException,
            FileSystemException {
        return makeDirectory(userId, path, parents, null);
    }

    /**
     * {@link #makeDirectory(long, RemotePath, boolean)}, each new directory checked against the
     * user's entries limit inside the transaction that inserts it (exact whatever runs at once:
     * two {@code MAKEDIR}s at the limit cannot both pass).
     *
     * @param quotas the entries limit to check, or null for none
     * @throws QuotaExceededException when a directory to make would take the user past the limit
     *                                (nothing is made)
     */
    public Node makeDirectory(long userId, RemotePath path, boolean parents, Quotas quotas) throws SQLException,
            FileSystemException {
        if (!path.isRoot()) {
            checkWritable(path);
        }
        if (path.isRoot()) {
            if (parents) {
                return lookup(userId, path);
            }
            throw new FileAlreadyExistsException("/");
        }
        return Tx.run(db, c -> {
            Node current = StoreSql.root(c, userId);
            RemotePath walked = RemotePath.ROOT;
            List<String> names = path.names();
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                walked = walked.child(name);
                boolean last = i == names.size() - 1;
                Optional<Node> child = StoreSql.child(c, current.id(), name);
                if (child.isPresent()) {
                    if (!child.get().directory()) {
                        throw last || parents ? new FileAlreadyExistsException(walked.toString())
                                : new NotDirectoryException(walked.toString());
                    }
                    if (last && !parents) {
                        throw new FileAlreadyExistsException(walked.toString());
                    }
                    current = child.get();
                } else if (last || parents) {
                    if (quotas != null) {
                        quotas.checkEntries(c, userId, path.toString(), 1);
                    }
                    current = StoreSql.insertDirectory(c, userId, current.id(), name, clock.millis());
                } else {
                    throw new NoSuchFileException(walked.toString());
                }
            }
            return current;
        });
    }

    /**
     * An uploaded file to make visible ({@link #commitFiles}): insert its node, or with
     * {@code overwrite} replace the file there, and forget its kept upload.
     *
     * @param size      bytes
     * @param partialId the kept upload to forget in the same transaction, or 0
     * @param content   the bytes of a small file, stored in the database ({@link InlineBlobs}) in
     *                  the same transaction; null when they are the blob file {@code blobId}
     * @param mtimeMillis the modification time the client gave ({@code mtime=}), milliseconds since
     *                  the epoch; null: the time of the commit
     * @param reserved  whether its ticket's row reserves its size (an {@code UPLOAD} not kept for
     *                  resume, {@link TicketRows.Reservation}): the reservation ends in the same
     *                  transaction, whether the file is stored or refused
     */
    public record NewFile(long userId, RemotePath path, long size, String md5, String blobId, boolean overwrite,
                          long partialId, byte[] content, Long mtimeMillis, boolean reserved) {
        /** A file whose size no ticket reserves (a kept upload's, a batch's). */
        public NewFile(long userId, RemotePath path, long size, String md5, String blobId, boolean overwrite,
                       long partialId, byte[] content, Long mtimeMillis) {
            this(userId, path, size, md5, blobId, overwrite, partialId, content, mtimeMillis, false);
        }
    }

    /**
     * Whether a file may be placed at {@code path}, given its parent and what is there now (both
     * looked up inside the commit's transaction): the refusal, or null. The transfer layer owns the
     * rule (it is the one {@code UPLOAD} applies before the bytes move), the store applies it.
     */
    @FunctionalInterface
    public interface Placement {
        FileSystemException refusal(RemotePath path, boolean overwrite, Optional<Node> parent, Optional<Node> existing);
    }

    /**
     * Makes uploaded files visible in <b>one</b> transaction (group commit: one write lock and one
     * WAL append for many uploads). Each file is applied in its own savepoint, so one that fails
     * leaves the others alone. Blob files must already be durable; the transaction is durable
     * when this returns (it syncs the WAL), with the small files' contents in it.
     *
     * @param placement whether each file may be placed where it goes; a refusal changes nothing
     * @return for each file, in order: its {@link Commit}, or the {@link Refused} reason
     * @throws SQLException when the transaction as a whole fails (then none is committed)
     */
    public List<CommitResult> commitFiles(List<NewFile> files, Placement placement) throws SQLException {
        return commitFiles(files, placement, null);
    }

    /**
     * {@link #commitFiles(List, Placement)}, each file also checked against its owner's quota inside
     * the transaction, after the files before it: the one check that is exact whatever uploads run
     * at once ({@link QuotaExceededException} as the {@link Refused} reason; an overwrite needs only
     * what it adds).
     *
     * @param quotas the quotas to check, or null for none
     */
    public List<CommitResult> commitFiles(List<NewFile> files, Placement placement, Quotas quotas) throws SQLException {
        return FileCommits.commit(db, keys(), clock.millis(), files, placement, quotas);
    }

    /** Whether {@code path} is in the read-only {@code /shared} view (the view itself included). */
    public static boolean isSharedView(RemotePath path) {
        return !path.isRoot() && path.names().get(0).equals(SHARED_VIEW);
    }

    /**
     * Refuses a change at {@code path} when it is in the {@code /shared} view: shares are read-only
     * and the name is reserved.
     *
     * @throws ReadOnlyException when it is
     */
    public static void checkWritable(RemotePath path) throws ReadOnlyException {
        if (isSharedView(path)) {
            throw new ReadOnlyException(path);
        }
    }

    /**
     * The bytes of a small file kept in the database under {@code blobId} ({@link InlineBlobs}),
     * or empty when its bytes are a blob file ({@link BlobStore#blobPath}).
     */
    public Optional<byte[]> inlineContent(String blobId) throws SQLException, IntegrityException {
        Optional<InlineBlobs.Stored> stored = db.read(c -> InlineBlobs.find(c, blobId));
        return stored.isPresent() ? Optional.of(stored.get().plaintext(keys())) : Optional.empty();
    }

    /**
     * A file's node, with its bytes when they are kept in the database.
     *
     * @param inline the bytes ({@link InlineBlobs}), or null when they are a blob file
     *               ({@link BlobStore#blobPath}), when the node is a directory, or when they failed
     * @param broken why the bytes kept in the database could not be read (they failed their
     *               integrity check), or null
     */
    public record Content(Node node, byte[] inline, IntegrityException broken) {
    }

    /**
     * Looks up many paths on one pooled connection, for a batch of downloads: each path's node
     * and, for a file of at most {@link dev.netdisk.protocol.ProtocolLimits#SMALL_FILE_BYTES}, its bytes kept in the database.
     * Each statement reads its own snapshot: a file replaced between its two reads comes back
     * with null bytes and its blob file gone.
     *
     * @return one entry per path, in order; empty when nothing is there
     */
    public List<Optional<Content>> contents(long userId, List<RemotePath> paths) throws SQLException {
        return db.read(c -> {
            List<Optional<Content>> out = new ArrayList<>(paths.size());
            for (RemotePath path : paths) {
                Optional<Node> found = StoreSql.find(c, userId, path);
                if (found.isEmpty()) {
                    out.add(Optional.empty());
                    continue;
                }
                Node node = found.get();
                byte[] inline = null;
                IntegrityException broken = null;
                if (!node.directory() && InlineBlobs.fits(node.size())) {
                    Optional<InlineBlobs.Stored> stored = InlineBlobs.find(c, node.blobId());
                    try {
                        inline = stored.isPresent() ? stored.get().plaintext(keys()) : null;
                    } catch (IntegrityException e) {
                        broken = e;
                    }
                }
                out.add(Optional.of(new Content(node, inline, broken)));
            }
            return out;
        });
    }


}
