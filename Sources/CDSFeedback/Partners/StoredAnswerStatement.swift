import CDSDatabase
import Foundation
import PostgresNIO

/// The answer stored under a partner's Idempotency-Key, if it has not expired: a prepared statement, since every
/// submission looks its key up before anything else.
struct StoredAnswerStatement: PostgresPreparedStatement {
    typealias Row = StoredAnswer

    static let sql = """
        SELECT request_sha256, response_status, response_body FROM cds.partner_idempotency_keys
        WHERE partner_id = $1 AND key = $2 AND created_at >= now() - $3 * interval '1 second'
        """

    static let bindingDataTypes: [PostgresDataType] = [.uuid, .text, .float8]

    let key: IdempotencyKey
    let retention: TimeInterval

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 3)
        bindings.append(key.partner)
        bindings.append(key.key)
        bindings.append(retention)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> StoredAnswer {
        var cells = row.makeIterator()
        return StoredAnswer(fingerprint: try cells.decode(Data.self), status: try cells.decode(Int.self), body: try cells.decode(Data.self))
    }
}

/// An answer stored under an Idempotency-Key, with the fingerprint of the request it answered.
struct StoredAnswer: Sendable {
    let fingerprint: Data
    let status: Int
    let body: Data
}
