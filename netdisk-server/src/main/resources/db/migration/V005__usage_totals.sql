-- Running totals for quotas, so a quota check reads one row instead of summing the user's tree.
-- used_bytes: the sizes of every file row the user owns, live or trashed (directories count 0).
-- trash_bytes: the part of used_bytes under the user's trash items; trash.bytes is each item's
-- share, fixed when it is trashed (nothing inside a trashed subtree changes until it is restored
-- or deleted as a whole).
-- Triggers keep them in the same transaction as every change to nodes and trash, whatever code
-- makes it. A trigger body is one line here: the migration runner splits at a ';' ending a line.
ALTER TABLE users ADD COLUMN used_bytes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN trash_bytes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE trash ADD COLUMN bytes INTEGER NOT NULL DEFAULT 0;

-- The totals of the data that is already there.
UPDATE users SET used_bytes = (SELECT COALESCE(SUM(size), 0) FROM nodes WHERE owner_id = users.id AND is_dir = 0);
UPDATE trash SET bytes = (WITH RECURSIVE sub(id) AS (SELECT trash.node_id UNION ALL
    SELECT n.id FROM nodes n JOIN sub ON n.parent_id = sub.id)
    SELECT COALESCE(SUM(n.size), 0) FROM nodes n JOIN sub ON n.id = sub.id WHERE n.is_dir = 0);
UPDATE users SET trash_bytes = (SELECT COALESCE(SUM(bytes), 0) FROM trash WHERE owner_id = users.id);

CREATE TRIGGER usage_node_insert AFTER INSERT ON nodes WHEN NEW.is_dir = 0 BEGIN UPDATE users SET used_bytes = used_bytes + NEW.size WHERE id = NEW.owner_id; END;
CREATE TRIGGER usage_node_delete AFTER DELETE ON nodes WHEN OLD.is_dir = 0 BEGIN UPDATE users SET used_bytes = used_bytes - OLD.size WHERE id = OLD.owner_id; END;
CREATE TRIGGER usage_node_update AFTER UPDATE OF size, is_dir, owner_id ON nodes BEGIN UPDATE users SET used_bytes = used_bytes - CASE WHEN OLD.is_dir = 0 THEN OLD.size ELSE 0 END WHERE id = OLD.owner_id; UPDATE users SET used_bytes = used_bytes + CASE WHEN NEW.is_dir = 0 THEN NEW.size ELSE 0 END WHERE id = NEW.owner_id; END;
CREATE TRIGGER usage_trash_insert AFTER INSERT ON trash BEGIN UPDATE users SET trash_bytes = trash_bytes + NEW.bytes WHERE id = NEW.owner_id; END;
CREATE TRIGGER usage_trash_delete AFTER DELETE ON trash BEGIN UPDATE users SET trash_bytes = trash_bytes - OLD.bytes WHERE id = OLD.owner_id; END;
CREATE TRIGGER usage_trash_update AFTER UPDATE OF bytes, owner_id ON trash BEGIN UPDATE users SET trash_bytes = trash_bytes - OLD.bytes WHERE id = OLD.owner_id; UPDATE users SET trash_bytes = trash_bytes + NEW.bytes WHERE id = NEW.owner_id; END;
