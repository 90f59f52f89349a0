-- The first schema: accounts, session tokens, the file tree, and uploads kept for resume.
-- Times are milliseconds since the epoch, UTC.

CREATE TABLE users (
    id                  INTEGER PRIMARY KEY,
    name                TEXT    NOT NULL UNIQUE,
    password_hash       BLOB    NOT NULL,
    password_salt       BLOB    NOT NULL,
    password_iterations INTEGER NOT NULL,
    created_at          INTEGER NOT NULL,
    disabled            INTEGER NOT NULL DEFAULT 0
);

-- Only the SHA-256 of a token is stored: a copy of the database gives no one a session.
CREATE TABLE sessions (
    token_hash BLOB    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- The file tree. Each user has one root (parent_id NULL, name ''). File bytes live in blob files
-- named by blob_id, never by user path, so renames and moves touch only this table.
CREATE TABLE nodes (
    id        INTEGER PRIMARY KEY,
    owner_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    parent_id INTEGER REFERENCES nodes (id),
    name      TEXT    NOT NULL,
    is_dir    INTEGER NOT NULL,
    size      INTEGER NOT NULL DEFAULT 0,
    md5       TEXT,
    blob_id   TEXT,
    mtime     INTEGER NOT NULL
);
CREATE UNIQUE INDEX nodes_by_parent_and_name ON nodes (parent_id, name);
CREATE UNIQUE INDEX nodes_root_by_owner ON nodes (owner_id) WHERE parent_id IS NULL;

-- Bytes of uploads not yet complete, kept for resume under (owner, path, size, md5).
CREATE TABLE partial_uploads (
    id         INTEGER PRIMARY KEY,
    owner_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    path       TEXT    NOT NULL,
    size       INTEGER NOT NULL,
    md5        TEXT    NOT NULL,
    blob_id    TEXT    NOT NULL UNIQUE,
    updated_at INTEGER NOT NULL,
    UNIQUE (owner_id, path, size, md5)
);
