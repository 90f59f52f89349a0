package dev.netdisk.server;

import dev.netdisk.server.store.Dialect;

/** Every conversation of {@link NavigationConversationTest} again, with the metadata in PostgreSQL instead of SQLite. */
class PostgresNavigationConversationTest extends NavigationConversationTest {

    @Override
    Dialect database() {
        return Dialect.POSTGRESQL;
    }
}
