-- A sync client writes only under the source systems registered for it: without this, any client that reaches a
-- district could FULL-push under another system's source and deactivate that system's records.
--
-- NULL: every source, which only the server's own development client is given (its material serves loopback only).
-- Clients registered before this migration get none, and are refused (with the command that registers their sources)
-- until an operator says which systems they speak for: nothing records which they wrote before.

SELECT set_config('cds.actor', 'migration:0015_sync_client_sources', true);

-- Whether every name is a source a push may name: the header's own rule, and never 'local' (the admin API's records).
CREATE FUNCTION cds.are_source_names(names text[]) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog
AS $$
    SELECT coalesce(bool_and(name ~ '^[a-z0-9][a-z0-9._-]{0,63}$' AND name <> 'local'), true) FROM unnest(names) AS name
$$;

ALTER TABLE cds.sync_clients ADD COLUMN sources text[] DEFAULT '{}' CHECK (cds.are_source_names(sources));
