-- Administration (netdisk-server user ...): a storage quota per user, in bytes; NULL means none.
-- Set with `netdisk-server user quota NAME BYTES|none`; enforced once the quota feature lands.
ALTER TABLE users ADD COLUMN quota_bytes INTEGER;
