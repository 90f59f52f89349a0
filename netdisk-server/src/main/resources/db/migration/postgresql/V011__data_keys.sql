-- PostgreSQL version of ../V011__data_keys.sql: each file's data key, wrapped by the master key.
CREATE TABLE data_keys (
    blob_id       TEXT COLLATE "C" PRIMARY KEY,
    master_key_id BIGINT NOT NULL,
    wrapped       BYTEA NOT NULL
);
CREATE INDEX data_keys_by_master ON data_keys (master_key_id);

DELETE FROM partial_uploads;
