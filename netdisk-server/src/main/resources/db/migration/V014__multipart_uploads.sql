-- A kept upload on an S3 content store (issue 21) is an S3 multipart upload whose parts are the
-- encrypted 8 MiB-plaintext parts already received: upload_id is its multipart upload id, kept_parts
-- how many parts are stored and hashed, md5_state the MD5 of their plaintext as a resumable state
-- (Bouncy Castle's encoded MD5 state), since S3 cannot read back the parts of an unfinished upload.
-- A server resuming it (this one after a restart, or another on the same database) continues the
-- MD5 from md5_state and the multipart upload from part kept_parts + 1. NULL/0 on the local store.
ALTER TABLE partial_uploads ADD COLUMN upload_id TEXT;
ALTER TABLE partial_uploads ADD COLUMN kept_parts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE partial_uploads ADD COLUMN md5_state BLOB;
