package dev.netdisk.server;

import dev.netdisk.server.store.Dialect;

/** Every conversation of {@link FilesConversationTest} again, with the metadata in PostgreSQL instead of SQLite. */
class PostgresFilesConversationTest extends FilesConversationTest {

    @Override
    Dialect database() {
        return Dialect.POSTGRESQL;
    }
}
