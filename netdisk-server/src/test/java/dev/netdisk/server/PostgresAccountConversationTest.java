package dev.netdisk.server;

import dev.netdisk.server.store.Dialect;

/** Every conversation of {@link AccountConversationTest} again, with the metadata in PostgreSQL instead of SQLite. */
class PostgresAccountConversationTest extends AccountConversationTest {

    @Override
    Dialect database() {
        return Dialect.POSTGRESQL;
    }
}
