-- State that several servers share (issue 21, point 2): what lived in one process's memory moves
-- to the database, the one thing every server sees. Times are milliseconds since the epoch.

-- Data-connection tickets. The id handed to the client is never stored, only its SHA-256, as
-- sessions store token hashes. DATA takes a row with one conditional UPDATE, so a ticket is used
-- once even when two servers race for it; the row then stands for the running transfer (held by
-- the server instance in holder, renewed until lease_until) and is deleted when the transfer ends.
CREATE TABLE data_tickets (
    id_hash     BLOB    PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    grant_bytes BLOB    NOT NULL,
    expires_at  INTEGER NOT NULL,
    taken_at    INTEGER,
    holder      TEXT,
    lease_until INTEGER,
    revoked     TEXT
) WITHOUT ROWID;
CREATE INDEX data_tickets_by_user ON data_tickets (user_id);
CREATE INDEX data_tickets_by_expiry ON data_tickets (expires_at);

-- One row per user that has asked for a ticket: issuing and taking lock it first, so the per-user
-- counts (unused tickets, running transfers) are checked one at a time per user on PostgreSQL too.
CREATE TABLE transfer_gates (
    user_id    INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    touched_at INTEGER NOT NULL
);

-- Which kept upload is being received, by whom, until when: the receiving server renews its
-- leases while the bytes flow; a server that dies stops renewing and another may resume after.
CREATE TABLE upload_leases (
    blob_id     TEXT    PRIMARY KEY,
    holder      TEXT    NOT NULL,
    lease_until INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX upload_leases_by_holder ON upload_leases (holder);

-- Failed logins, by key (an address, a name, a name from an address, bad tokens from an address).
CREATE TABLE login_failures (
    key      TEXT    PRIMARY KEY,
    failures INTEGER NOT NULL,
    last_at  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX login_failures_by_age ON login_failures (last_at);

-- Running server instances and their heartbeats, and which user listens on which of them.
CREATE TABLE servers (
    server_id    TEXT    PRIMARY KEY,
    name         TEXT    NOT NULL,
    heartbeat_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE presence (
    server_id TEXT    NOT NULL,
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (server_id, user_id)
) WITHOUT ROWID;
CREATE INDEX presence_by_user ON presence (user_id);
