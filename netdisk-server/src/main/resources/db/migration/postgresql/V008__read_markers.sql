-- PostgreSQL version of ../V008__read_markers.sql: how far each user has read each conversation.

CREATE TABLE private_read (
    user_id   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    peer_id   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    last_read BIGINT NOT NULL,
    PRIMARY KEY (user_id, peer_id)
);

CREATE TABLE group_read (
    user_id   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    group_id  BIGINT NOT NULL REFERENCES chat_groups (id) ON DELETE CASCADE,
    last_read BIGINT NOT NULL,
    PRIMARY KEY (user_id, group_id)
);

CREATE INDEX conversations_by_high ON conversations (user_high);

INSERT INTO private_read (user_id, peer_id, last_read)
SELECT user_low, user_high, last_id FROM conversations;
INSERT INTO private_read (user_id, peer_id, last_read)
SELECT user_high, user_low, last_id FROM conversations WHERE user_low <> user_high;
INSERT INTO group_read (user_id, group_id, last_read)
SELECT gm.user_id, gm.group_id, coalesce((SELECT max(m.id) FROM messages m WHERE m.group_id = gm.group_id), 0)
FROM group_members gm;
