package dev.netdisk.server;

import dev.netdisk.server.store.Dialect;

/** Every conversation of {@link TransferConversationTest} again, with the metadata in PostgreSQL instead of SQLite. */
class PostgresTransferConversationTest extends TransferConversationTest {

    @Override
    Dialect database() {
        return Dialect.POSTGRESQL;
    }
}
