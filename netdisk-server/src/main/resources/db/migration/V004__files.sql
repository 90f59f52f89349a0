-- File management: trash, shared blobs, quotas, shares with friends and share links.
-- Times are milliseconds since the epoch, UTC.

-- A trashed subtree keeps its rows (and so its blobs and its owner's quota), but its top node is
-- detached: parent_id NULL, so no path walk reaches it and its name no longer blocks a new entry.
-- A root is now "parent_id NULL and name ''" (a real name is never empty).
DROP INDEX nodes_root_by_owner;
CREATE UNIQUE INDEX nodes_root_by_owner ON nodes (owner_id) WHERE parent_id IS NULL AND name = '';
CREATE INDEX nodes_by_owner ON nodes (owner_id);

-- Blobs are shared by copies: a blob file is deleted only when no node (live or trashed) refers
-- to it any more, counted with this index.
CREATE INDEX nodes_by_blob ON nodes (blob_id) WHERE blob_id IS NOT NULL;

-- One row per trashed subtree: node_id is its detached top node.
CREATE TABLE trash (
    id            INTEGER PRIMARY KEY,
    owner_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    node_id       INTEGER NOT NULL UNIQUE REFERENCES nodes (id),
    original_path TEXT    NOT NULL,
    deleted_at    INTEGER NOT NULL
);
CREATE INDEX trash_by_owner ON trash (owner_id, id);
CREATE INDEX trash_by_age ON trash (deleted_at);

-- A per-user quota overriding the server's default is users.quota_bytes (V002).

-- Read-only shares with a friend. The recipient sees the node as /shared/<owner>/<name>; name is
-- fixed when sharing, so a later rename by the owner does not move it under the recipient.
CREATE TABLE shares (
    owner_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    recipient_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    node_id      INTEGER NOT NULL REFERENCES nodes (id),
    name         TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (owner_id, recipient_id, name),
    UNIQUE (node_id, recipient_id)
);
CREATE INDEX shares_by_recipient ON shares (recipient_id, owner_id);

-- Links: a random code with which any logged-in user may fetch one file.
CREATE TABLE share_links (
    code       TEXT    PRIMARY KEY,
    owner_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    node_id    INTEGER NOT NULL REFERENCES nodes (id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER
);
CREATE INDEX share_links_by_owner ON share_links (owner_id);
