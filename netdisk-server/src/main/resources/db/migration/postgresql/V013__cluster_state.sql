-- PostgreSQL twin of ../V013__cluster_state.sql (same tables; see there for what each is for).
-- No foreign key from presence to servers: a dead server's row goes first, its presence rows after.
CREATE TABLE data_tickets (
    id_hash     BYTEA   PRIMARY KEY,
    user_id     BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    grant_bytes BYTEA   NOT NULL,
    expires_at  BIGINT  NOT NULL,
    taken_at    BIGINT,
    holder      TEXT,
    lease_until BIGINT,
    revoked     TEXT
);
CREATE INDEX data_tickets_by_user ON data_tickets (user_id);
CREATE INDEX data_tickets_by_expiry ON data_tickets (expires_at);

CREATE TABLE transfer_gates (
    user_id    BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    touched_at BIGINT NOT NULL
);

CREATE TABLE upload_leases (
    blob_id     TEXT   PRIMARY KEY,
    holder      TEXT   NOT NULL,
    lease_until BIGINT NOT NULL
);
CREATE INDEX upload_leases_by_holder ON upload_leases (holder);

CREATE TABLE login_failures (
    key      TEXT   PRIMARY KEY,
    failures BIGINT NOT NULL,
    last_at  BIGINT NOT NULL
);
CREATE INDEX login_failures_by_age ON login_failures (last_at);

CREATE TABLE servers (
    server_id    TEXT   PRIMARY KEY,
    name         TEXT   NOT NULL,
    heartbeat_at BIGINT NOT NULL
);
CREATE TABLE presence (
    server_id TEXT   NOT NULL,
    user_id   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (server_id, user_id)
);
CREATE INDEX presence_by_user ON presence (user_id);
