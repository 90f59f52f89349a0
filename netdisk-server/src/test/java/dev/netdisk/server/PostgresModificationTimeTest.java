package dev.netdisk.server;

import dev.netdisk.server.store.Dialect;

/** Every conversation of {@link ModificationTimeTest} again, with the metadata in PostgreSQL instead of SQLite. */
class PostgresModificationTimeTest extends ModificationTimeTest {

    @Override
    Dialect database() {
        return Dialect.POSTGRESQL;
    }
}
