package dev.netdisk.server.store;

import dev.netdisk.protocol.RemotePath;
import dev.netdisk.server.store.FileTree.Commit;
import dev.netdisk.server.store.FileTree.CommitResult;
import dev.netdisk.server.store.FileTree.NewFile;
import dev.netdisk.server.store.FileTree.Placement;
import dev.netdisk.server.store.FileTree.Refused;
import java.nio.file.FileSystemException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How {@link FileTree#commitFiles} makes files visible: many in one durable transaction (group
 * commit), each under a savepoint so that one refused file (placement, quota, entries) leaves the
 * others committed; the row, the kept upload's removal (or the end of its ticket's reservation) and a
 * small file's content change together.
 */
final class FileCommits {

    private FileCommits() {
    }

    /**
     * Commits {@code files} at {@code now} (milliseconds since the epoch, the mtime of files sent
     * without one). Same contract as {@link FileTree#commitFiles(List, Placement, Quotas)}.
     */
    static List<CommitResult> commit(Database db, DataKeys keys, long now, List<NewFile> files, Placement placement,
                                     Quotas quotas) throws SQLException {
        return db.durableTransaction(c -> {
            List<CommitResult> out = new ArrayList<>(files.size());
            // Cached statements: otherwise a group commit parses each of these once per file.
            PreparedStatement savepoint = Database.prepared(c, "SAVEPOINT commit_file");
            PreparedStatement release = Database.prepared(c, "RELEASE commit_file");
            for (NewFile file : files) {
                if (FileTree.isSharedView(file.path())) {
                    // The store's own guard, whatever the placement says: nothing is ever written into the view.
                    out.add(new Refused(new ReadOnlyException(file.path())));
                    continue;
                }
                if (file.reserved()) {
                    // Outside the savepoint: stored, the bytes count as the file's; refused, as nothing.
                    TicketRows.endReservation(c, file.userId(), file.blobId());
                }
                savepoint.execute();
                try {
                    out.add(commitIn(c, keys, file, now, placement, quotas));
                    release.execute();
                } catch (SQLException e) {
                    if (Dialect.retryable(e)) {
                        // Lost a race on PostgreSQL: the whole group runs again, not this file alone.
                        throw e;
                    }
                    Database.prepared(c, "ROLLBACK TO commit_file").execute();
                    release.execute();
                    out.add(new Refused(e));
                }
            }
            return out;
        });
    }

    /** One {@link NewFile} inside the caller's transaction: a {@link Commit} or the refusal as a value. */
    private static CommitResult commitIn(Connection c, DataKeys keys, NewFile file, long now, Placement placement,
                                         Quotas quotas)
            throws SQLException {
        long userId = file.userId();
        long mtime = file.mtimeMillis() != null ? file.mtimeMillis() : now;
        RemotePath path = file.path();
        long size = file.size();
        String md5 = file.md5();
        String blobId = file.blobId();
        long partialId = file.partialId();
        Optional<Node> parent = StoreSql.find(c, userId, path.parent());
        Optional<Node> existing = parent.isPresent() && parent.get().directory()
                ? StoreSql.child(c, parent.get().id(), path.name()) : Optional.empty();
        FileSystemException refusal = placement.refusal(path, file.overwrite(), parent, existing);
        if (refusal != null) {
            return new Refused(refusal);
        }
        if (quotas != null) {
            long freed = existing.filter(n -> !n.directory()).map(Node::size).orElse(0L);
            try {
                // The running totals already count the files committed before this one in this transaction;
                // this file's own reservation as an unfinished upload is about to become the file itself.
                Quotas.check(quotas.usageBesides(c, userId, partialId), path.toString(), size - freed);
                // A new file is one more entry: checked here, where two commits cannot both pass it.
                quotas.checkEntries(c, userId, path.toString(), existing.isPresent() ? 0 : 1);
            } catch (QuotaExceededException e) {
                return new Refused(e);
            }
        }
        Optional<String> replaced = Optional.empty();
        Node node;
        if (existing.isPresent()) {
            Node old = existing.get();
            PreparedStatement ps = Database.prepared(c, "UPDATE nodes SET size = ?, md5 = ?, blob_id = ?, mtime = ? WHERE id = ?");
            ps.setLong(1, size);
            ps.setString(2, md5);
            ps.setString(3, blobId);
            ps.setLong(4, mtime);
            ps.setLong(5, old.id());
            ps.executeUpdate();
            // Copies share blobs: the old one goes only when nothing else refers to it.
            replaced = StoreSql.unreferenced(c, old.blobId() == null ? List.of() : List.of(old.blobId()))
                    .stream().findFirst();
            node = new Node(old.id(), old.parentId(), old.name(), false, size, md5, blobId, mtime);
        } else {
            PreparedStatement ps = Database.prepared(c, "INSERT INTO nodes (owner_id, parent_id, name, is_dir, size, md5,"
                    + " blob_id, mtime) VALUES (?, ?, ?, 0, ?, ?, ?, ?)");
            ps.setLong(1, userId);
            ps.setLong(2, parent.get().id());
            ps.setString(3, path.name());
            ps.setLong(4, size);
            ps.setString(5, md5);
            ps.setString(6, blobId);
            ps.setLong(7, mtime);
            ps.executeUpdate();
            node = StoreSql.child(c, parent.get().id(), path.name()).orElseThrow();
        }
        if (partialId != 0) {
            PartialUploads.delete(c, partialId);
        }
        if (file.content() != null) {
            InlineBlobs.put(c, keys, blobId, file.content());
        }
        return new Commit(node, replaced);
    }
}
