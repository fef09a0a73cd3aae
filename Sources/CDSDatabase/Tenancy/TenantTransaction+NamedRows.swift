import CDSCore
import PostgresKit
import PostgresNIO
import SQLKit

extension TenantTransaction {
    /// Runs one statement and decodes each row into `Item` by column name: the select list names each column as the
    /// Swift property is named in snake_case (`t.commune_code::text AS commune_code` for `communeCode`, by
    /// ``FieldName``), so the row's shape is written once, in `Item`, no column is read by its place in the list, and
    /// a missing or misspelt column fails the first test that reads it.
    public func rows<Item: Decodable>(
        _ query: PostgresQuery,
        decoding type: Item.Type,
        file: String = #fileID,
        line: Int = #line
    ) async throws -> [Item] {
        try await rows(query, file: file, line: line) { row in try NamedColumns.decoder.decode(Item.self, from: row.sql()) }
    }
}

/// How ``TenantTransaction/rows(_:decoding:file:line:)`` finds a property's column.
private enum NamedColumns {
    /// Finds the Swift name `teamID` in the column `team_id`.
    static let decoder = SQLRowDecoder(
        keyDecodingStrategy: .custom { path in ColumnKey(stringValue: FieldName.snakeCase(of: path[path.count - 1].stringValue)) }
    )

    private struct ColumnKey: CodingKey {
        let stringValue: String
        let intValue: Int? = nil

        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
