-- Running totals for the per-user limits of issue 22, kept like V005's: by triggers, in the same
-- transaction as every change, whatever code makes it.
-- entries: how many nodes (files and directories, live or trashed, the root included) the user owns.
-- chat_bytes: the UTF-8 bytes of every chat message the user sent that is stored.
-- A trigger body is one line here: the migration runner splits at a ';' ending a line.
ALTER TABLE users ADD COLUMN entries INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN chat_bytes INTEGER NOT NULL DEFAULT 0;

UPDATE users SET entries = (SELECT COUNT(*) FROM nodes WHERE owner_id = users.id);
UPDATE users SET chat_bytes = (SELECT COALESCE(SUM(LENGTH(CAST(body AS BLOB))), 0) FROM messages WHERE sender_id = users.id);

CREATE TRIGGER entries_node_insert AFTER INSERT ON nodes BEGIN UPDATE users SET entries = entries + 1 WHERE id = NEW.owner_id; END;
CREATE TRIGGER entries_node_delete AFTER DELETE ON nodes BEGIN UPDATE users SET entries = entries - 1 WHERE id = OLD.owner_id; END;
CREATE TRIGGER entries_node_owner AFTER UPDATE OF owner_id ON nodes BEGIN UPDATE users SET entries = entries - 1 WHERE id = OLD.owner_id; UPDATE users SET entries = entries + 1 WHERE id = NEW.owner_id; END;
CREATE TRIGGER chat_bytes_insert AFTER INSERT ON messages BEGIN UPDATE users SET chat_bytes = chat_bytes + LENGTH(CAST(NEW.body AS BLOB)) WHERE id = NEW.sender_id; END;
CREATE TRIGGER chat_bytes_delete AFTER DELETE ON messages BEGIN UPDATE users SET chat_bytes = chat_bytes - LENGTH(CAST(OLD.body AS BLOB)) WHERE id = OLD.sender_id; END;
