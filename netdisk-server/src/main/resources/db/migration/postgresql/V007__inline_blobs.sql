-- PostgreSQL version of ../V007__inline_blobs.sql: small files keep their bytes in the database.
CREATE TABLE inline_blobs (
    blob_id TEXT COLLATE "C" PRIMARY KEY,
    content BYTEA NOT NULL
);
