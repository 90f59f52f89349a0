package dev.netdisk.server;

import dev.netdisk.server.store.Dialect;

/** Every conversation of {@link BatchUploadTest} again, with the metadata in PostgreSQL instead of SQLite. */
class PostgresBatchUploadTest extends BatchUploadTest {

    @Override
    Dialect database() {
        return Dialect.POSTGRESQL;
    }
}
