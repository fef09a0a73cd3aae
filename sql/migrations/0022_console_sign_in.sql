-- People sign in to the web console with a password they chose through a one-time invitation link, and keep a
-- server-side session. Both the invitation and the session are credentials, so that what already holds for tokens
-- holds for them: stored as the SHA-256 of the secret, refused once revoked or expired or when the account is
-- disabled, audited, and announced on cds_control_plane so that every server forgets what it kept.
--
-- An invitation lets whoever holds it choose the account's password: it is the power to act as the account, so it
-- obeys the rule that governs a token issued for another account (0014): its issuer must cover the account when it
-- is issued, and it is revoked as soon as the issuer no longer does.

SELECT set_config('cds.actor', 'migration:0022_console_sign_in', true);

ALTER TABLE cds.credentials DROP CONSTRAINT credentials_kind_check;
ALTER TABLE cds.credentials ADD CONSTRAINT credentials_kind_check
    CHECK (kind IN ('bearer_token', 'api_key', 'client_certificate', 'invitation', 'console_session'));

-- The language a person reads the console in.
ALTER TABLE cds.principals ADD COLUMN language text NOT NULL DEFAULT 'vi' CHECK (language IN ('vi', 'en'));

-- A staff account's password, as bcrypt (cost and salt inside the hash); none until the person accepts an invitation.
CREATE TABLE cds.staff_passwords (
    principal_id uuid PRIMARY KEY REFERENCES cds.principals (id),
    password_bcrypt text NOT NULL CHECK (password_bcrypt ~ '^\$2[aby]\$[0-9]{2}\$[./A-Za-z0-9]{53}$'),
    set_at timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT, INSERT, UPDATE ON cds.staff_passwords TO cds_app;
CALL cds.audit_table('cds.staff_passwords', ARRAY['principal_id']);

-- The audit log records that a password changed, never the hash.
CREATE OR REPLACE FUNCTION cds.audit_image(row_image jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog
AS $$
    SELECT coalesce(jsonb_object_agg(
               key,
               CASE WHEN key IN ('phone', 'birth_year', 'ethnicity', 'secret_sha256', 'contact_name', 'contact_phone',
                                 'contact_email', 'api_key_sha256', 'webhook_secret', 'previous_webhook_secret',
                                 'password_bcrypt')
                         AND value <> 'null'::jsonb
                    THEN '"redacted"'::jsonb ELSE value END),
           '{}'::jsonb)
    FROM jsonb_each(row_image)
    WHERE key <> ALL (cds.audit_bookkeeping_columns())
$$;

-- An invitation for another account is refused when its issuer does not cover the account.
DROP TRIGGER credentials_check_issuer ON cds.credentials;
CREATE TRIGGER credentials_check_issuer AFTER INSERT ON cds.credentials
    FOR EACH ROW WHEN (NEW.kind IN ('bearer_token', 'invitation') AND NEW.issued_by <> NEW.principal_id)
    EXECUTE FUNCTION cds.check_token_issuer();

DROP INDEX cds.credentials_delegated_idx;
CREATE INDEX credentials_delegated_idx ON cds.credentials (issued_by)
    WHERE kind IN ('bearer_token', 'invitation') AND revoked_at IS NULL AND issued_by <> principal_id;

-- As in 0014, with outstanding invitations re-checked beside delegated tokens.
CREATE OR REPLACE FUNCTION cds.revoke_uncovered_tokens(affected uuid) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
DECLARE
    uncovered uuid[];
BEGIN
    PERFORM pg_advisory_xact_lock(7161975950500196972);  -- cds.ctrl in ASCII: the control plane lock
    uncovered := ARRAY(
        SELECT c.id FROM cds.credentials c
        WHERE c.kind IN ('bearer_token', 'invitation') AND c.revoked_at IS NULL AND c.issued_by <> c.principal_id
          AND (affected IS NULL OR c.principal_id = affected OR c.issued_by = affected)
          AND (c.expires_at IS NULL OR c.expires_at > now())
          AND NOT coalesce(cds.covers(c.issued_by, c.principal_id), false));
    -- Only when there is something to revoke: the audit trigger wants an actor, which a unit import has not set.
    IF cardinality(uncovered) > 0 THEN
        UPDATE cds.credentials SET revoked_at = now(), revocation_reason = 'issuer_no_longer_covers'
        WHERE id = ANY (uncovered);
    END IF;
END
$$;

