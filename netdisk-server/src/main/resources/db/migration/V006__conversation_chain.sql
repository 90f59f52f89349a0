-- Private history follows a chain per conversation instead of an index ordered by sender.
-- The index messages_private (sender_id, recipient_id, id) put every new message on a random index
-- page: at 20,000 messages/s a group commit of 100 messages wrote about 100 index pages to the WAL,
-- and the chat writer spent 40-55 us a message (docs/PERFORMANCE.md, chat). Now a message points
-- to the previous one of its conversation (prev_id), and conversations keeps the newest: a commit
-- touches the table's last pages and one small row per conversation.

ALTER TABLE messages ADD COLUMN prev_id INTEGER;

-- One row per pair of users who have exchanged a private message (user_low < user_high).
CREATE TABLE conversations (
    user_low  INTEGER NOT NULL,
    user_high INTEGER NOT NULL,
    last_id   INTEGER NOT NULL,
    PRIMARY KEY (user_low, user_high)
) WITHOUT ROWID;

UPDATE messages SET prev_id = chain.prev_id
FROM (SELECT id, lag(id) OVER (PARTITION BY min(sender_id, recipient_id), max(sender_id, recipient_id) ORDER BY id)
          AS prev_id
      FROM messages WHERE recipient_id IS NOT NULL) AS chain
WHERE chain.id = messages.id;

INSERT INTO conversations (user_low, user_high, last_id)
SELECT min(sender_id, recipient_id), max(sender_id, recipient_id), max(id)
FROM messages WHERE recipient_id IS NOT NULL
GROUP BY min(sender_id, recipient_id), max(sender_id, recipient_id);

DROP INDEX messages_private;
