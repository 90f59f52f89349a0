package dev.netdisk.server;

import dev.netdisk.server.store.Dialect;

/** Every conversation of {@link BatchDownloadTest} again, with the metadata in PostgreSQL instead of SQLite. */
class PostgresBatchDownloadTest extends BatchDownloadTest {

    @Override
    Dialect database() {
        return Dialect.POSTGRESQL;
    }
}
