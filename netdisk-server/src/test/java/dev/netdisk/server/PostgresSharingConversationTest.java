package dev.netdisk.server;

import dev.netdisk.server.store.Dialect;

/** Every conversation of {@link SharingConversationTest} again, with the metadata in PostgreSQL instead of SQLite. */
class PostgresSharingConversationTest extends SharingConversationTest {

    @Override
    Dialect database() {
        return Dialect.POSTGRESQL;
    }
}
