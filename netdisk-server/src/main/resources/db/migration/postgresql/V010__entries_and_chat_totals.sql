-- PostgreSQL version of ../V010__entries_and_chat_totals.sql: entries and chat_bytes kept by
-- triggers like V005's. LENGTH(CAST(body AS BLOB)) (UTF-8 bytes in SQLite) is octet_length(body).
ALTER TABLE users ADD COLUMN entries BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN chat_bytes BIGINT NOT NULL DEFAULT 0;

UPDATE users SET entries = (SELECT COUNT(*) FROM nodes WHERE owner_id = users.id);
UPDATE users SET chat_bytes = (SELECT COALESCE(SUM(octet_length(body)), 0) FROM messages WHERE sender_id = users.id);

CREATE FUNCTION entries_node_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE users SET entries = entries + 1 WHERE id = NEW.owner_id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER entries_node_insert AFTER INSERT ON nodes FOR EACH ROW EXECUTE FUNCTION entries_node_insert();

CREATE FUNCTION entries_node_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE users SET entries = entries - 1 WHERE id = OLD.owner_id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER entries_node_delete AFTER DELETE ON nodes FOR EACH ROW EXECUTE FUNCTION entries_node_delete();

CREATE FUNCTION entries_node_owner() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE users SET entries = entries - 1 WHERE id = OLD.owner_id;
    UPDATE users SET entries = entries + 1 WHERE id = NEW.owner_id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER entries_node_owner AFTER UPDATE OF owner_id ON nodes FOR EACH ROW EXECUTE FUNCTION entries_node_owner();

CREATE FUNCTION chat_bytes_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE users SET chat_bytes = chat_bytes + octet_length(NEW.body) WHERE id = NEW.sender_id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER chat_bytes_insert AFTER INSERT ON messages FOR EACH ROW EXECUTE FUNCTION chat_bytes_insert();

CREATE FUNCTION chat_bytes_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE users SET chat_bytes = chat_bytes - octet_length(OLD.body) WHERE id = OLD.sender_id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER chat_bytes_delete AFTER DELETE ON messages FOR EACH ROW EXECUTE FUNCTION chat_bytes_delete();
