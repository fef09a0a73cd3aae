-- A partner's submission reserves its Idempotency-Key in the statement that takes the key's lock (a key kept past
-- its retention is taken over), files the report, then writes its answer into the reserved row: the application
-- role now updates the rows of that table.
GRANT UPDATE ON cds.partner_idempotency_keys TO cds_app;
