import Foundation
import PostgresNIO

/// The principal, grants and language of a live credential of one kind (a bearer token, a console session), by the
/// secret's SHA-256: a prepared statement, since every API request runs it (parsed and planned each time, it cost
/// more than running it).
struct CredentialLookupStatement: PostgresPreparedStatement {
    typealias Row = (
        credential: UUID, id: UUID, name: String, kind: String, language: String, expiresAt: Date?, role: String?, unitCode: Int?
    )

    static let sql = """
        SELECT c.id, p.id, p.name, p.kind, p.language, c.expires_at, g.role, g.unit_code
        FROM cds.credentials c
        JOIN cds.principals p ON p.id = c.principal_id
        LEFT JOIN cds.grants g ON g.principal_id = p.id
        WHERE c.secret_sha256 = $1 AND c.kind = $2
          AND c.revoked_at IS NULL AND (c.expires_at IS NULL OR c.expires_at > now())
          AND p.status = 'active'
        """

    static let bindingDataTypes: [PostgresDataType] = [.bytea, .text]

    let secretSHA256: Data
    /// `bearer_token` or `console_session`: a secret of one kind never stands for the other.
    let kind: String

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 2)
        try bindings.append(secretSHA256)
        bindings.append(kind)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        var cells = row.makeIterator()
        return (
            try cells.decode(UUID.self), try cells.decode(UUID.self), try cells.decode(String.self), try cells.decode(String.self),
            try cells.decode(String.self), try cells.decode(Date?.self), try cells.decode(String?.self), try cells.decode(Int?.self)
        )
    }
}
