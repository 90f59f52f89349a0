-- PostgreSQL version of ../V005__usage_totals.sql: running totals for quotas, kept by triggers in
-- the same transaction as every change to nodes and trash. SQLite's trigger bodies become plpgsql
-- trigger functions. Every change to a user's files updates that user's row, so two servers'
-- concurrent commits for one user conflict there, and one of them is run again (store/Database).
ALTER TABLE users ADD COLUMN used_bytes BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN trash_bytes BIGINT NOT NULL DEFAULT 0;
ALTER TABLE trash ADD COLUMN bytes BIGINT NOT NULL DEFAULT 0;

-- The totals of the data that is already there.
UPDATE users SET used_bytes = (SELECT COALESCE(SUM(size), 0) FROM nodes WHERE owner_id = users.id AND is_dir = 0);
UPDATE trash SET bytes = t.bytes
FROM (WITH RECURSIVE sub(trash_id, id) AS (SELECT id, node_id FROM trash UNION ALL
          SELECT sub.trash_id, n.id FROM nodes n JOIN sub ON n.parent_id = sub.id)
      SELECT sub.trash_id, COALESCE(SUM(n.size), 0) AS bytes FROM sub JOIN nodes n ON n.id = sub.id
      WHERE n.is_dir = 0 GROUP BY sub.trash_id) AS t
WHERE t.trash_id = trash.id;
UPDATE users SET trash_bytes = (SELECT COALESCE(SUM(bytes), 0) FROM trash WHERE owner_id = users.id);

CREATE FUNCTION usage_node_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE users SET used_bytes = used_bytes + NEW.size WHERE id = NEW.owner_id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER usage_node_insert AFTER INSERT ON nodes FOR EACH ROW WHEN (NEW.is_dir = 0)
    EXECUTE FUNCTION usage_node_insert();

CREATE FUNCTION usage_node_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE users SET used_bytes = used_bytes - OLD.size WHERE id = OLD.owner_id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER usage_node_delete AFTER DELETE ON nodes FOR EACH ROW WHEN (OLD.is_dir = 0)
    EXECUTE FUNCTION usage_node_delete();

CREATE FUNCTION usage_node_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE users SET used_bytes = used_bytes - CASE WHEN OLD.is_dir = 0 THEN OLD.size ELSE 0 END WHERE id = OLD.owner_id;
    UPDATE users SET used_bytes = used_bytes + CASE WHEN NEW.is_dir = 0 THEN NEW.size ELSE 0 END WHERE id = NEW.owner_id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER usage_node_update AFTER UPDATE OF size, is_dir, owner_id ON nodes FOR EACH ROW
    EXECUTE FUNCTION usage_node_update();

CREATE FUNCTION usage_trash_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE users SET trash_bytes = trash_bytes + NEW.bytes WHERE id = NEW.owner_id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER usage_trash_insert AFTER INSERT ON trash FOR EACH ROW EXECUTE FUNCTION usage_trash_insert();

CREATE FUNCTION usage_trash_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE users SET trash_bytes = trash_bytes - OLD.bytes WHERE id = OLD.owner_id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER usage_trash_delete AFTER DELETE ON trash FOR EACH ROW EXECUTE FUNCTION usage_trash_delete();

CREATE FUNCTION usage_trash_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE users SET trash_bytes = trash_bytes - OLD.bytes WHERE id = OLD.owner_id;
    UPDATE users SET trash_bytes = trash_bytes + NEW.bytes WHERE id = NEW.owner_id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER usage_trash_update AFTER UPDATE OF bytes, owner_id ON trash FOR EACH ROW
    EXECUTE FUNCTION usage_trash_update();
