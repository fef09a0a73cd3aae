import Foundation
import PostgresNIO

/// The principal and grants of an active bearer token, by the token's SHA-256: a prepared statement, since every
/// API request runs it (parsed and planned each time, it cost more than running it).
struct TokenLookupStatement: PostgresPreparedStatement {
    typealias Row = (credential: UUID, id: UUID, name: String, kind: String, expiresAt: Date?, role: String?, unitCode: Int?)

    static let sql = """
        SELECT c.id, p.id, p.name, p.kind, c.expires_at, g.role, g.unit_code
        FROM cds.credentials c
        JOIN cds.principals p ON p.id = c.principal_id
        LEFT JOIN cds.grants g ON g.principal_id = p.id
        WHERE c.secret_sha256 = $1 AND c.kind = 'bearer_token'
          AND c.revoked_at IS NULL AND (c.expires_at IS NULL OR c.expires_at > now())
          AND p.status = 'active'
        """

    static let bindingDataTypes: [PostgresDataType] = [.bytea]

    let secretSHA256: Data

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        try bindings.append(secretSHA256)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        var cells = row.makeIterator()
        return (
            try cells.decode(UUID.self), try cells.decode(UUID.self), try cells.decode(String.self), try cells.decode(String.self),
            try cells.decode(Date?.self), try cells.decode(String?.self), try cells.decode(Int?.self)
        )
    }
}
