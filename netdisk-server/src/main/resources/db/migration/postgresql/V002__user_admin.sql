-- PostgreSQL version of ../V002__user_admin.sql: a storage quota per user, in bytes; NULL means none.
ALTER TABLE users ADD COLUMN quota_bytes BIGINT;
