import Foundation
import PostgresNIO

/// The partner app holding an API key, by the key's SHA-256: a prepared statement, since every partner request
/// runs it (parsed and planned each time, it cost more than running it).
struct PartnerKeyLookupStatement: PostgresPreparedStatement {
    typealias Row = PartnerApp

    static let sql = """
        SELECT \(PartnerApp.columns) FROM cds.partner_apps WHERE api_key_sha256 = $1
        """

    static let bindingDataTypes: [PostgresDataType] = [.bytea]

    let apiKeySHA256: Data

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        try bindings.append(apiKeySHA256)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> PartnerApp {
        try PartnerApp(row: row)
    }
}
