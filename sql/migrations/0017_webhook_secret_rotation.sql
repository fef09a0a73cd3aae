-- A partner's webhook secret can be replaced without a moment in which its receiver refuses our messages: the
-- secret it replaces keeps signing beside the new one until previous_webhook_secret_until (Standard Webhooks allows
-- several signatures in one header), so that the partner can deploy the new secret in its own time within the window.

SELECT set_config('cds.actor', 'migration:0017_webhook_secret_rotation', true);

ALTER TABLE cds.partner_apps
    ADD COLUMN previous_webhook_secret bytea CHECK (length(previous_webhook_secret) BETWEEN 24 AND 64),
    ADD COLUMN previous_webhook_secret_until timestamptz,
    ADD CONSTRAINT partner_apps_previous_secret_window
        CHECK ((previous_webhook_secret IS NULL) = (previous_webhook_secret_until IS NULL));

-- The audit log names that the old secret changed too, never its value.
CREATE OR REPLACE FUNCTION cds.audit_image(row_image jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog
AS $$
    SELECT coalesce(jsonb_object_agg(
               key,
               CASE WHEN key IN ('phone', 'birth_year', 'ethnicity', 'secret_sha256', 'contact_name', 'contact_phone',
                                 'contact_email', 'api_key_sha256', 'webhook_secret', 'previous_webhook_secret')
                         AND value <> 'null'::jsonb
                    THEN '"redacted"'::jsonb ELSE value END),
           '{}'::jsonb)
    FROM jsonb_each(row_image)
    WHERE key <> ALL (cds.audit_bookkeeping_columns())
$$;
