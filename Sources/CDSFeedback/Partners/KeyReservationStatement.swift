import Foundation
import PostgresNIO

/// Takes an Idempotency-Key's lock (held to the end of the transaction: a repeat meanwhile is in flight) and, with
/// it, reserves the key: a row with no answer yet, visible to others only once the answer is written into it.
/// The same statement deletes the partner's expired keys — no sweeper to run — and takes over this key if it is
/// held only by an expired answer. Its row: the lock taken; the key reserved (false: answered already).
/// A prepared statement, since every submission runs it.
struct KeyReservationStatement: PostgresPreparedStatement {
    typealias Row = (locked: Bool, reserved: Bool)

    static let sql = """
        WITH lock AS (
            SELECT pg_try_advisory_xact_lock(hashtextextended($1::text || '/' || $2, 0)) AS taken
        ), expired AS (
            DELETE FROM cds.partner_idempotency_keys
            WHERE partner_id = $1 AND key <> $2 AND created_at < now() - $4 * interval '1 second' AND (SELECT taken FROM lock)
        ), reserved AS (
            INSERT INTO cds.partner_idempotency_keys AS kept (partner_id, key, request_sha256, response_status, response_body)
            SELECT $1, $2, $3, 0, ''::bytea FROM lock WHERE taken
            ON CONFLICT (partner_id, key) DO UPDATE
                SET request_sha256 = excluded.request_sha256, response_status = 0, response_body = ''::bytea, created_at = now()
                WHERE kept.created_at < now() - $4 * interval '1 second'
            RETURNING true
        )
        SELECT (SELECT taken FROM lock), EXISTS (SELECT FROM reserved)
        """

    static let bindingDataTypes: [PostgresDataType] = [.uuid, .text, .bytea, .float8]

    let key: IdempotencyKey
    let retention: TimeInterval

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 4)
        bindings.append(key.partner)
        bindings.append(key.key)
        try bindings.append(key.fingerprint)
        bindings.append(retention)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        var cells = row.makeIterator()
        return (try cells.decode(Bool.self), try cells.decode(Bool.self))
    }
}
