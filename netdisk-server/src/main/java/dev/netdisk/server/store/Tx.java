package dev.netdisk.server.store;

import java.nio.file.FileSystemException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A write transaction whose work may refuse with a {@link FileSystemException}: the refusal rolls
 * the transaction back and reaches the caller as itself. ({@link FileTree#commitFiles} returns
 * refusals as values instead, one per file, because one refusal must not roll back its group.)
 */
final class Tx {

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException, FileSystemException;
    }

    /** Carries a refusal through {@link Database#transaction}, which rolls back on runtime exceptions. */
    private static final class Refusal extends RuntimeException {
        final FileSystemException cause;

        Refusal(FileSystemException cause) {
            super(null, null, false, false);
            this.cause = cause;
        }
    }

    private Tx() {
    }

    static <T> T run(Database db, Work<T> work) throws SQLException, FileSystemException {
        try {
            return db.transaction(c -> {
                try {
                    return work.run(c);
                } catch (FileSystemException e) {
                    throw new Refusal(e);
                }
            });
        } catch (Refusal r) {
            throw r.cause;
        }
    }
}
