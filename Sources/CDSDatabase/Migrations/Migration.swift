import CDSSchema
import Crypto
import Foundation

/// One numbered migration file, `NNNN_name.sql`, with the SHA-256 of its bytes.
public struct Migration: Hashable, Sendable {
    public let version: Int
    public let name: String
    public let sql: String
    public let checksum: String
    /// The checksums of earlier texts of this file that a database may have applied: the same statements, under a
    /// comment since reworded (``rewordedComments``).
    public var formerChecksums: Set<String> { Self.rewordedComments[version] ?? [] }

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

    /// Released migrations whose first line, a comment, was reworded later (it cited a design brief that was never in
    /// the repository): the SHA-256 of each file as released, whose statements are those of the file today. A
    /// database that applied the released text is current; any other change to a released migration is refused.
    package static let rewordedComments: [Int: Set<String>] = [
        1: ["6c4040dcc822d828970fbcc88f1feac1cf52a53a85da80a6f124808a25743138"],
        2: ["c1c1c85757af1a34edacd8dc15a30c1a1cc1cf2d93a90dda65de5ac4de3666a8"],
        3: ["8d84771f874809613fa28d3c979c65b0e02e777e2ee72914b7774a9f38d56788"],
        4: ["9758067d76a1fa39a440245fe2f5a1e8506e9aed255e7f6927b7696364baf8ed"],
        5: ["f002b8071619f6a514f5143ce619606610406cc48dee9a2f241d91fb57eaa7b0"],
        9: ["a0dc1a004b30d220e609c9fd8bc52a671cf62ca21b72b3910eb55eb3dd9cf8bc"],
    ]

    /// Whether a database that recorded `applied` for this migration ran this file's statements.
    public func matches(applied: String) -> Bool {
        applied == checksum || formerChecksums.contains(applied)
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
