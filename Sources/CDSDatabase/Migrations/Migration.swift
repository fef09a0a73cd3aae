import CDSSchema
import Crypto
import Foundation

/// One numbered migration file, `NNNN_name.sql`, with the SHA-256 of its bytes.
public struct Migration: Hashable, Sendable {
    public let version: Int
    public let name: String
    public let sql: String
    public let checksum: String

    /// - Throws: ``DatabaseError/migrationFailed`` when the file name has no version number.
    public init(fileName: String, contents: Data) throws(DatabaseError) {
        let stem = fileName.hasSuffix(".sql") ? String(fileName.dropLast(4)) : fileName
        let parts = stem.split(separator: "_", maxSplits: 1)
        guard parts.count == 2, let version = Int(parts[0]), version > 0 else {
            throw DatabaseError(.migrationFailed, "migration file '\(fileName)' is not named NNNN_name.sql")
        }
        guard let sql = String(data: contents, encoding: .utf8) else {
            throw DatabaseError(.migrationFailed, "migration file '\(fileName)' is not UTF-8")
        }
        self.version = version
        self.name = String(parts[1])
        self.sql = sql
        self.checksum = SHA256.hash(data: contents).map { String(format: "%02x", $0) }.joined()
    }

    /// The migrations shipped with this build, in order.
    public static func bundled() throws -> [Migration] {
        let migrations = try Schema.migrationFiles().map { url in
            try Migration(fileName: url.lastPathComponent, contents: Data(contentsOf: url))
        }
        var seen = Set<Int>()
        for migration in migrations where !seen.insert(migration.version).inserted {
            throw DatabaseError(.migrationFailed, "two migration files have version \(migration.version)")
        }
        return migrations
    }
}
