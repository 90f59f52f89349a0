package dev.netdisk.server.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@link Database#transaction} on PostgreSQL: SERIALIZABLE, and the whole {@link Database.Work} run
 * again when it loses a race.
 *
 * <p>Why SERIALIZABLE: the code reads and then writes (a quota check and the file row, a unique name
 * and its insert, a group commit's many files) and relies on nothing changing in between, as under
 * SQLite's single writer. PostgreSQL's serializable snapshot isolation gives exactly that guarantee,
 * across every server sharing the database, by failing one of two conflicting transactions with
 * SQLSTATE {@code 40001} (or {@code 40P01} for a deadlock) instead of blocking them; the loser is
 * simply run again on a fresh snapshot. The pause before a retry is random and short (a few
 * milliseconds, doubling up to 64), so two servers that collided do not collide again in step.
 */
final class PostgresTransactions {

    private PostgresTransactions() {
    }

    /** Begins the transaction (pgjdbc sends BEGIN with it): one round trip, nothing to reset afterwards. */
    private static final String BEGIN = "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE";

    /**
     * {@link #BEGIN} for a transaction that need not be durable before it returns: PostgreSQL then
     * does not wait for the WAL flush at its commit (it follows within a fraction of a second). The
     * commit is as atomic and as isolated as any; only a crash of the PostgreSQL server or its
     * machine in that fraction can lose it, as {@code synchronous=NORMAL} lets a power failure lose
     * SQLite's last commits. {@link Database#durableTransaction} waits for the flush.
     */
    private static final String BEGIN_NOT_DURABLE = BEGIN + "; SET LOCAL synchronous_commit TO OFF";

    static <T> T run(Database db, Database.Work<T> work, boolean durable) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            Connection c = db.borrow();
            try {
                c.setAutoCommit(false);
                try (Statement st = c.createStatement()) {
                    st.execute(durable ? BEGIN : BEGIN_NOT_DURABLE);
                }
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                if (attempt >= Database.MAX_ATTEMPTS || !Dialect.retryable(e)) {
                    throw e;
                }
                db.retrying();
            } finally {
                try {
                    c.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // the pool resets it, or evicts a broken connection
                }
                db.giveBack(c);
            }
            pause(attempt);
        }
    }

    private static void pause(int attempt) throws SQLException {
        long maxMicros = 1_000L << Math.min(attempt, 6);
        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(ThreadLocalRandom.current().nextLong(100, maxMicros)));
        if (Thread.interrupted()) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted between attempts of a transaction");
        }
    }
}
