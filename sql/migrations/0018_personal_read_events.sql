-- A read of personal data is recorded once per request and district, not once per row: the entry names the request
-- (its actor and request id, as every entry does, and the route and filters it asked with) and lists in `subjects`
-- the keys of the rows it returned. A page of 100 members is one entry; "who has read this member's personal data"
-- stays one indexed query: the GIN index finds the key in `subjects`, the partial index finds the earlier
-- entries, which named one row each in `entity_key`. An entry of one subject keeps it in `entity_key` too; one of
-- several has none there.

SELECT set_config('cds.actor', 'migration:0018_personal_read_events', true);

ALTER TABLE cds.audit_log
    ADD COLUMN route text,
    ADD COLUMN filters jsonb,
    ADD COLUMN subjects text[],
    ALTER COLUMN entity_key DROP NOT NULL,
    ADD CONSTRAINT audit_log_subjects_of_reads CHECK (subjects IS NULL OR action = 'read_personal'),
    ADD CONSTRAINT audit_log_entity_key_given CHECK (entity_key IS NOT NULL OR subjects IS NOT NULL);

CREATE INDEX audit_log_subjects_idx ON cds.audit_log USING gin (subjects) WHERE subjects IS NOT NULL;
CREATE INDEX audit_log_read_key_idx ON cds.audit_log (tenant_id, entity_key) WHERE action = 'read_personal';
