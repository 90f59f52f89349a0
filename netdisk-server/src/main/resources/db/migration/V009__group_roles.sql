-- Groups with owners, admins, invitations and bans (docs/PROTOCOL.md section 7, GROUP).
-- A new group is invite-only and a newcomer reads its history from the moment they joined, unless
-- the owner or an admin makes it public or shares earlier history. Groups made before this
-- migration were open to anyone: they stay public, but newcomers read only from their join.

ALTER TABLE chat_groups ADD COLUMN public INTEGER NOT NULL DEFAULT 0;
ALTER TABLE chat_groups ADD COLUMN shared_history INTEGER NOT NULL DEFAULT 0;
UPDATE chat_groups SET public = 1;

-- 1 for an admin; the owner is chat_groups.owner_id.
ALTER TABLE group_members ADD COLUMN admin INTEGER NOT NULL DEFAULT 0;

CREATE TABLE group_invites (
    group_id   INTEGER NOT NULL REFERENCES chat_groups (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    invited_by INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (group_id, user_id)
) WITHOUT ROWID;

CREATE TABLE group_bans (
    group_id   INTEGER NOT NULL REFERENCES chat_groups (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    banned_by  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (group_id, user_id)
) WITHOUT ROWID;
