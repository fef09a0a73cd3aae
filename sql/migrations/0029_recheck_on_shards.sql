-- cds.recheck_tokens_of_row() tells the principals from the grants by the name of the table it fires on. On a Citus
-- coordinator the control plane's tables are kept in Citus's metadata, and their triggers fire on the table's one
-- shard, named `principals_<shard id>`: an account disabled there was taken for a grant, and the change failed. Same
-- rule, with the shard's suffix allowed.

SELECT set_config('cds.actor', 'migration:0029_recheck_on_shards', true);

CREATE OR REPLACE FUNCTION cds.recheck_tokens_of_row() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
BEGIN
    IF TG_TABLE_NAME ~ '^principals(_[0-9]+)?$' THEN
        PERFORM cds.revoke_uncovered_tokens(NEW.id);
    ELSIF TG_OP = 'INSERT' THEN
        PERFORM cds.revoke_uncovered_tokens(NEW.principal_id);
    ELSE
        PERFORM cds.revoke_uncovered_tokens(OLD.principal_id);
        IF TG_OP = 'UPDATE' AND NEW.principal_id <> OLD.principal_id THEN
            PERFORM cds.revoke_uncovered_tokens(NEW.principal_id);
        END IF;
    END IF;
    RETURN NULL;
END
$$;
