package dev.netdisk.server.app;

import java.sql.SQLException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/** A housekeeping chore that queries the database, handed from the selector thread to a worker. */
@FunctionalInterface
interface WorkerChore {

    System.Logger LOG = System.getLogger(NetdiskServer.class.getName());

    void run() throws SQLException;

    /** Runs {@code chore} on {@code workers}; a failure is logged as {@code what} failed; none when stopping. */
    static void submit(Executor workers, WorkerChore chore, String what) {
        try {
            workers.execute(() -> {
                try {
                    chore.run();
                } catch (SQLException e) {
                    LOG.log(System.Logger.Level.WARNING, what + " failed", e);
                }
            });
        } catch (RejectedExecutionException stopping) {
            // the server is stopping
        }
    }
}
