-- Small files keep their bytes here instead of in a blob file of their own (store/InlineBlobs).
-- Creating a file costs the file system an inode, and on this project's test machines (ext4
-- without a journal) up to half a millisecond of kernel time to find one; a group commit of many
-- small uploads is then one transaction and one WAL sync instead of a file, a rename and two fsyncs
-- each (docs/PERFORMANCE.md, small files). SQLite measured the same: blobs under about 100 KB read
-- and write faster inside the database than as separate files (sqlite.org/intern-v-extern-blob.html).
-- Keyed like a blob file, by blob id: copies share the row, and it goes when no node refers to it.
CREATE TABLE inline_blobs (
    blob_id TEXT PRIMARY KEY,
    content BLOB NOT NULL
);
