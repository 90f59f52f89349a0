-- Trash ids are never reused (issue 20, point 9). An INTEGER PRIMARY KEY takes the largest id in
-- use plus one, so after a restore or an empty trash the next item got an id a user had seen
-- before, and a 'trash restore ID' typed from an old listing could restore the wrong thing.
-- AUTOINCREMENT keeps the largest id ever given in sqlite_sequence and never goes below it
-- (sqlite.org/autoinc.html). SQLite cannot add it to a column: the table is rebuilt, its rows,
-- indexes and V005's triggers as they were. Ids given and deleted before this migration, above
-- the largest one left, may be given once more; none after it.
-- A trigger body is one line here: the migration runner splits at a ';' ending a line.
DROP TRIGGER usage_trash_insert;
DROP TRIGGER usage_trash_delete;
DROP TRIGGER usage_trash_update;

CREATE TABLE trash_v12 (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    node_id       INTEGER NOT NULL UNIQUE REFERENCES nodes (id),
    original_path TEXT    NOT NULL,
    deleted_at    INTEGER NOT NULL,
    bytes         INTEGER NOT NULL DEFAULT 0
);
INSERT INTO trash_v12 (id, owner_id, node_id, original_path, deleted_at, bytes)
    SELECT id, owner_id, node_id, original_path, deleted_at, bytes FROM trash;
DROP TABLE trash;
ALTER TABLE trash_v12 RENAME TO trash;

CREATE INDEX trash_by_owner ON trash (owner_id, id);
CREATE INDEX trash_by_age ON trash (deleted_at);
CREATE TRIGGER usage_trash_insert AFTER INSERT ON trash BEGIN UPDATE users SET trash_bytes = trash_bytes + NEW.bytes WHERE id = NEW.owner_id; END;
CREATE TRIGGER usage_trash_delete AFTER DELETE ON trash BEGIN UPDATE users SET trash_bytes = trash_bytes - OLD.bytes WHERE id = OLD.owner_id; END;
CREATE TRIGGER usage_trash_update AFTER UPDATE OF bytes, owner_id ON trash BEGIN UPDATE users SET trash_bytes = trash_bytes - OLD.bytes WHERE id = OLD.owner_id; UPDATE users SET trash_bytes = trash_bytes + NEW.bytes WHERE id = NEW.owner_id; END;
