package dev.netdisk.server;

import dev.netdisk.server.store.Dialect;

/** Every conversation of {@link QuotaAccountingTest} again, with the metadata in PostgreSQL instead of SQLite. */
class PostgresQuotaAccountingTest extends QuotaAccountingTest {

    @Override
    Dialect database() {
        return Dialect.POSTGRESQL;
    }
}
