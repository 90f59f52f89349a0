-- PostgreSQL twin of ../V015__upload_reservations.sql (see there): BIGINT for INTEGER, byte-order text.
ALTER TABLE data_tickets ADD COLUMN reserved_bytes BIGINT NOT NULL DEFAULT 0;
ALTER TABLE data_tickets ADD COLUMN reserved_path TEXT COLLATE "C";
ALTER TABLE data_tickets ADD COLUMN reserved_blob TEXT COLLATE "C";
