-- A second factor for the console: a time-based one-time password (RFC 6238, as authenticator apps compute it),
-- which an account may turn on for itself; the console offers it to province-level accounts, whose reach is the
-- whole province. Once enabled, signing in needs the password and a code of the moment, and a code is accepted once.

SELECT set_config('cds.actor', 'migration:0023_staff_totp', true);

-- The account's shared secret (random letters and digits, the key's bytes as authenticator apps take them), when it
-- was confirmed with a first code (NULL while being set up), and the last time step a code was accepted for, so that
-- a code seen over someone's shoulder cannot be used again.
CREATE TABLE cds.staff_totp (
    principal_id uuid PRIMARY KEY REFERENCES cds.principals (id),
    totp_secret text NOT NULL CHECK (totp_secret ~ '^[A-Za-z0-9]{32}$'),
    enabled_at timestamptz,
    last_step bigint NOT NULL DEFAULT 0
);
GRANT SELECT, INSERT, UPDATE, DELETE ON cds.staff_totp TO cds_app;
CALL cds.audit_table('cds.staff_totp', ARRAY['principal_id']);

-- As in 0022, with the shared secret never written to the audit log either.
CREATE OR REPLACE FUNCTION cds.audit_image(row_image jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog
AS $$
    SELECT coalesce(jsonb_object_agg(
               key,
               CASE WHEN key IN ('phone', 'birth_year', 'ethnicity', 'secret_sha256', 'contact_name', 'contact_phone',
                                 'contact_email', 'api_key_sha256', 'webhook_secret', 'previous_webhook_secret',
                                 'password_bcrypt', 'totp_secret')
                         AND value <> 'null'::jsonb
                    THEN '"redacted"'::jsonb ELSE value END),
           '{}'::jsonb)
    FROM jsonb_each(row_image)
    WHERE key <> ALL (cds.audit_bookkeeping_columns())
$$;
