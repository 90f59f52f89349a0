-- PostgreSQL version of ../V009__group_roles.sql: owners, admins, invitations and bans.

ALTER TABLE chat_groups ADD COLUMN public BIGINT NOT NULL DEFAULT 0;
ALTER TABLE chat_groups ADD COLUMN shared_history BIGINT NOT NULL DEFAULT 0;
UPDATE chat_groups SET public = 1;

ALTER TABLE group_members ADD COLUMN admin BIGINT NOT NULL DEFAULT 0;

CREATE TABLE group_invites (
    group_id   BIGINT NOT NULL REFERENCES chat_groups (id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    invited_by BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (group_id, user_id)
);

CREATE TABLE group_bans (
    group_id   BIGINT NOT NULL REFERENCES chat_groups (id) ON DELETE CASCADE,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    banned_by  BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
