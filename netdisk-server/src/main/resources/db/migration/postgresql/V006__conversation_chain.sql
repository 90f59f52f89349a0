-- PostgreSQL version of ../V006__conversation_chain.sql: a private message points to the previous
-- one of its conversation; conversations keeps the newest. SQLite's scalar min(a, b)/max(a, b) are
-- LEAST/GREATEST here.

ALTER TABLE messages ADD COLUMN prev_id BIGINT;

CREATE TABLE conversations (
    user_low  BIGINT NOT NULL,
    user_high BIGINT NOT NULL,
    last_id   BIGINT NOT NULL,
    PRIMARY KEY (user_low, user_high)
);

UPDATE messages SET prev_id = chain.prev_id
FROM (SELECT id, lag(id) OVER (PARTITION BY LEAST(sender_id, recipient_id), GREATEST(sender_id, recipient_id) ORDER BY id)
          AS prev_id
      FROM messages WHERE recipient_id IS NOT NULL) AS chain
WHERE chain.id = messages.id;

INSERT INTO conversations (user_low, user_high, last_id)
SELECT LEAST(sender_id, recipient_id), GREATEST(sender_id, recipient_id), max(id)
FROM messages WHERE recipient_id IS NOT NULL
GROUP BY LEAST(sender_id, recipient_id), GREATEST(sender_id, recipient_id);

DROP INDEX messages_private;
