-- Read markers: how far each user has read each conversation, shared by all of their connections
-- (docs/PROTOCOL.md section 7, UNREAD and READ). Unread counts are computed from them on demand
-- (a private conversation's chain walked back to the marker, a group's index range), so storing a
-- message writes nothing more.

CREATE TABLE private_read (
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    peer_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    last_read INTEGER NOT NULL,
    PRIMARY KEY (user_id, peer_id)
) WITHOUT ROWID;

CREATE TABLE group_read (
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    group_id  INTEGER NOT NULL REFERENCES chat_groups (id) ON DELETE CASCADE,
    last_read INTEGER NOT NULL,
    PRIMARY KEY (user_id, group_id)
) WITHOUT ROWID;

-- A user's private conversations, whichever side of the pair they are on.
CREATE INDEX conversations_by_high ON conversations (user_high);

-- What was there before counts as read: nobody is greeted by years of "unread" history.
INSERT INTO private_read (user_id, peer_id, last_read)
SELECT user_low, user_high, last_id FROM conversations;
INSERT INTO private_read (user_id, peer_id, last_read)
SELECT user_high, user_low, last_id FROM conversations WHERE user_low <> user_high;
INSERT INTO group_read (user_id, group_id, last_read)
SELECT gm.user_id, gm.group_id, coalesce((SELECT max(m.id) FROM messages m WHERE m.group_id = gm.group_id), 0)
FROM group_members gm;
