-- The client's X-Request-Id is kept as the client's, beside the id the server gives every request: an audit entry's
-- request_id is the server's, which no client can choose, so that no client can make its entries look like another
-- request's; client_request_id is what the client sent, to find its own requests by.

SELECT set_config('cds.actor', 'migration:0016_client_request_id', true);

ALTER TABLE cds.audit_log ADD COLUMN client_request_id text;
ALTER TABLE cds.control_audit_log ADD COLUMN client_request_id text;

-- The client's id of the transaction's request: NULL when it sent none (or there is no request).
CREATE FUNCTION cds.stamp_client_request_id() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
BEGIN
    NEW.client_request_id := nullif(current_setting('cds.client_request_id', true), '');
    RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION cds.stamp_client_request_id() FROM PUBLIC;
CREATE TRIGGER audit_log_client_request_id BEFORE INSERT ON cds.audit_log
    FOR EACH ROW EXECUTE FUNCTION cds.stamp_client_request_id();
CREATE TRIGGER control_audit_log_client_request_id BEFORE INSERT ON cds.control_audit_log
    FOR EACH ROW EXECUTE FUNCTION cds.stamp_client_request_id();
