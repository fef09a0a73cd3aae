import CDSDatabase
import CDSWire
import PostgresKit
import PostgresNIO
import SQLKit

extension TenantTransaction {
    /// Runs one statement and decodes each row into a wire type by column name: the select list names each column
    /// as the API names the field (`t.commune_code::text AS commune_code`), so the answer's shape is written once,
    /// in ``Wire``, and a missing or misspelt column fails the first test that reads it.
    package func rows<Item: Decodable>(
        _ query: PostgresQuery,
        decoding type: Item.Type,
        file: String = #fileID,
        line: Int = #line
    ) async throws -> [Item] {
        try await rows(query, file: file, line: line) { row in try WireRows.decoder.decode(Item.self, from: row.sql()) }
    }
}

/// How a row's columns are named for ``TenantTransaction/rows(_:decoding:file:line:)``.
package enum WireRows {
    /// Finds the Swift name `teamID` in the column `team_id`, as ``WireCoding/encoder`` writes it.
    static let decoder = SQLRowDecoder(
        keyDecodingStrategy: .custom { path in
            ColumnKey(stringValue: WireCoding.wireName(of: path[path.count - 1].stringValue))
        }
    )

    /// The column a Swift name is read from.
    private struct ColumnKey: CodingKey {
        let stringValue: String
        let intValue: Int? = nil

        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
