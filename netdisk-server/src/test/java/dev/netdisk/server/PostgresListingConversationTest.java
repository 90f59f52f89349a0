package dev.netdisk.server;

import dev.netdisk.server.store.Dialect;

/** Every conversation of {@link ListingConversationTest} again, with the metadata in PostgreSQL instead of SQLite. */
class PostgresListingConversationTest extends ListingConversationTest {

    @Override
    Dialect database() {
        return Dialect.POSTGRESQL;
    }
}
