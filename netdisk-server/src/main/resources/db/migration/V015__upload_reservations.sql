-- The reservation of an upload not kept for resume (a small file: no partial_uploads row) moves
-- from the memory of the server that issued its ticket to the ticket's row (issue 21), so every
-- server's quota check counts it, and a transaction that PostgreSQL runs again leaves nothing
-- behind. reserved_bytes is the announced size, counted against the quota while the row is unused
-- and unexpired, or running; the commit that stores the file sets it to 0 in its own transaction
-- (the reservation becomes the file), as it deletes a kept upload's row. reserved_path is the
-- upload's path (a second UPLOAD of the same path and size does not count the first's ticket
-- against itself); reserved_blob its blob id, which the commit finds it by. 0/NULL for every
-- other ticket.
ALTER TABLE data_tickets ADD COLUMN reserved_bytes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE data_tickets ADD COLUMN reserved_path TEXT;
ALTER TABLE data_tickets ADD COLUMN reserved_blob TEXT;
