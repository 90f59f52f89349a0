-- Chat: friends, groups, messages and the queue of messages waiting for an offline recipient.
-- Times are milliseconds since the epoch, UTC.

-- A request from one user to another, until it is accepted or declined.
CREATE TABLE friend_requests (
    from_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    to_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (from_id, to_id)
);
CREATE INDEX friend_requests_by_recipient ON friend_requests (to_id);

-- A friendship is stored both ways, so "friends of X" is one index range.
CREATE TABLE friends (
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    friend_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    since     INTEGER NOT NULL,
    PRIMARY KEY (user_id, friend_id)
) WITHOUT ROWID;

CREATE TABLE chat_groups (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE,
    owner_id   INTEGER NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL
);

CREATE TABLE group_members (
    group_id  INTEGER NOT NULL REFERENCES chat_groups (id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    joined_at INTEGER NOT NULL,
    PRIMARY KEY (group_id, user_id)
) WITHOUT ROWID;
CREATE INDEX group_members_by_user ON group_members (user_id);

-- Every message, private (recipient_id) or to a group (group_id); ids grow with time.
CREATE TABLE messages (
    id           INTEGER PRIMARY KEY,
    sender_id    INTEGER NOT NULL REFERENCES users (id),
    recipient_id INTEGER REFERENCES users (id),
    group_id     INTEGER REFERENCES chat_groups (id) ON DELETE CASCADE,
    body         TEXT    NOT NULL,
    sent_at      INTEGER NOT NULL,
    CHECK ((recipient_id IS NULL) <> (group_id IS NULL))
);
CREATE INDEX messages_private ON messages (sender_id, recipient_id, id) WHERE recipient_id IS NOT NULL;
CREATE INDEX messages_by_group ON messages (group_id, id) WHERE group_id IS NOT NULL;

-- Messages not yet delivered to a recipient who was offline when they were sent.
CREATE TABLE pending_deliveries (
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, message_id)
) WITHOUT ROWID;
