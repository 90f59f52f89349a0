-- Encryption at rest (issue 18, docs/SECURITY.md): every file's content is encrypted with its own
-- random data key, kept here wrapped by the master key (keys/master.json, a Tink AEAD keyset).
-- Keyed like the content, by blob id: copies share the key, a blob file, a small file in
-- inline_blobs and an upload kept for resume alike. master_key_id is the id of the master key
-- that wrapped it (also in the wrapped bytes' prefix), for `keys status` and `keys rotate`.
-- A blob without a row here is one stored before: read as it is, until `keys encrypt-existing`.
CREATE TABLE data_keys (
    blob_id TEXT PRIMARY KEY,
    master_key_id INTEGER NOT NULL,
    wrapped BLOB NOT NULL
);
CREATE INDEX data_keys_by_master ON data_keys (master_key_id);

-- Uploads kept for resume were written in plaintext: they start again (encrypted) at offset 0.
-- The start-up sweep deletes their files.
DELETE FROM partial_uploads;
