package dev.netdisk.server;

import dev.netdisk.server.store.Dialect;

/** Every conversation of {@link UsageTotalsTest} again, with the metadata in PostgreSQL instead of SQLite. */
class PostgresUsageTotalsTest extends UsageTotalsTest {

    @Override
    Dialect database() {
        return Dialect.POSTGRESQL;
    }
}
