package dev.netdisk.server;

import dev.netdisk.server.store.Dialect;

/** Every conversation of {@link GroupRolesConversationTest} again, with the metadata in PostgreSQL instead of SQLite. */
class PostgresGroupRolesConversationTest extends GroupRolesConversationTest {

    @Override
    Dialect database() {
        return Dialect.POSTGRESQL;
    }
}
