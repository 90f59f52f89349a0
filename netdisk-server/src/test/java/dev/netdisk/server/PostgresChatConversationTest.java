package dev.netdisk.server;

import dev.netdisk.server.store.Dialect;

/** Every conversation of {@link ChatConversationTest} again, with the metadata in PostgreSQL instead of SQLite. */
class PostgresChatConversationTest extends ChatConversationTest {

    @Override
    Dialect database() {
        return Dialect.POSTGRESQL;
    }
}
