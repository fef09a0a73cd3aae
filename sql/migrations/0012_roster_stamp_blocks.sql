-- A transaction's roster writes take their change numbers from blocks of the district's counter, not one counter
-- update per row: 200,000 updates of one row in one transaction walk an ever longer chain of its versions (a bulk
-- INSERT of 80,000 members ran for over ten minutes). The first write of a transaction to a district reserves one
-- number, each further reservation twice the last (up to 4,096), and the block in hand is kept in a
-- transaction-local setting. The counter row stays locked to the end of the transaction, as before, so writes to a
-- district still commit in the order of their numbers; a transaction leaves at most the unused rest of its last
-- block as a gap, and a write of one row uses exactly one number.
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
