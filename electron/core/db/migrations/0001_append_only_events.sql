-- The event log is the ledger's truth: nothing may rewrite or remove it, whoever holds the file.
CREATE TRIGGER `events_no_update` BEFORE UPDATE ON `events`
BEGIN
	SELECT RAISE(ABORT, 'events are append-only: an event cannot be updated');
END;
--> statement-breakpoint
CREATE TRIGGER `events_no_delete` BEFORE DELETE ON `events`
BEGIN
	SELECT RAISE(ABORT, 'events are append-only: an event cannot be deleted');
END;
