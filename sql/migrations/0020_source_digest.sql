-- A synced record keeps the digest of what its source last sent for it (the record's kind, external id and fields,
-- normalised as the push stages them), so that the nightly FULL push, which re-sends a whole district, can tell an
-- unchanged record without comparing its fields: a push stages an active record whose digest it already holds as
-- its identity only, and neither checks nor merges it again.
--
-- The digest holds only while the row is what that push made it. Any write that changes the row's content without
-- setting a digest of its own (an edit through the admin API, a team following its hamlet to another commune, a
-- deactivation) clears it, and the next push compares that record field by field again, as before digests.

SELECT set_config('cds.actor', 'migration:0020_source_digest', true);

ALTER TABLE cds.hamlets ADD COLUMN source_digest bigint;
ALTER TABLE cds.teams ADD COLUMN source_digest bigint;
ALTER TABLE cds.members ADD COLUMN source_digest bigint;

-- Bookkeeping, as change_seq is: the audit log neither keeps it nor counts a write of it alone as a change, and
-- writing it alone takes no new change number (a pull need not send the record again).
CREATE OR REPLACE FUNCTION cds.audit_bookkeeping_columns() RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog
AS $$
    SELECT ARRAY['tenant_id', 'created_at', 'updated_at', 'search_name', 'change_seq', 'source_digest']
$$;

-- As in 0012, with the digest cleared first by a write that changes the row but not its digest.
CREATE OR REPLACE FUNCTION cds.stamp_roster_change() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
DECLARE
    setting text := 'cds.roster_stamps_' || NEW.tenant_id;
    held text;
    next_stamp bigint;
    last_stamp bigint;
    block bigint := 1;
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.source_digest IS NOT NULL AND NEW.source_digest = OLD.source_digest
       AND cds.audit_image(to_jsonb(NEW)) <> cds.audit_image(to_jsonb(OLD)) THEN
        NEW.source_digest := NULL;
    END IF;
    IF (TG_OP = 'INSERT' AND NEW.change_seq > 0) OR (TG_OP = 'UPDATE' AND NEW.change_seq > OLD.change_seq) THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' AND cds.audit_image(to_jsonb(NEW)) = cds.audit_image(to_jsonb(OLD)) THEN
        NEW.change_seq := OLD.change_seq;
        RETURN NEW;
    END IF;
    -- The block in hand: 'next/last/size'.
    held := current_setting(setting, true);
    IF held IS NOT NULL AND held <> '' THEN
        next_stamp := split_part(held, '/', 1)::bigint;
        last_stamp := split_part(held, '/', 2)::bigint;
        block := least(split_part(held, '/', 3)::bigint * 2, 4096);
    END IF;
    IF next_stamp IS NULL OR next_stamp > last_stamp THEN
        INSERT INTO cds.roster_watermarks AS w (tenant_id, value) VALUES (NEW.tenant_id, block)
        ON CONFLICT (tenant_id) DO UPDATE SET value = w.value + block
        RETURNING w.value INTO last_stamp;
        next_stamp := last_stamp - block + 1;
    ELSE
        block := split_part(held, '/', 3)::bigint;
    END IF;
    NEW.change_seq := next_stamp;
    PERFORM set_config(setting, (next_stamp + 1) || '/' || last_stamp || '/' || block, true);
    RETURN NEW;
END
$$;
