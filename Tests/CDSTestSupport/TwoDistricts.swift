import CDSDatabase
import Foundation
import PostgresNIO

/// Two districts with one hamlet, one hamlet-level team and one member each: the fixture of the
/// tenant-isolation tests. District A is Thành phố Sơn La (116), B is Huyện Mường La (120).
public struct TwoDistricts: Sendable {
    public struct District: Sendable {
        public let tenant: Int
        public let communeCode: Int
        public let hamletCode: String
        public let teamID: UUID
        public let memberID: UUID
        public let memberExternalID: String
    }

    public let a: District
    public let b: District

    public static let actor = AuditActor(kind: "test", name: "fixture")

    /// Inserts the fixture as `cds_app`, one transaction per district, each scoped to its own district.
    public static func insert(into database: Database) async throws -> TwoDistricts {
        let a = try await insertDistrict(tenant: 116, communeCode: 3646, into: database)
        let b = try await insertDistrict(tenant: 120, communeCode: 3808, into: database)
        return TwoDistricts(a: a, b: b)
    }

    private static func insertDistrict(tenant: Int, communeCode: Int, into database: Database) async throws -> District {
        let hamletCode = "\(communeCode)-001"
        let teamID = UUID()
        let memberID = UUID()
        let externalID = "hr-\(tenant)-1"
        try await database.withTenantScope(.district(tenant), actor: actor) { transaction in
            try await transaction.query(
                """
                INSERT INTO cds.hamlets (tenant_id, code, commune_code, name, kind, source_system, external_id)
                VALUES (\(tenant), \(hamletCode), \(communeCode), 'Bản Nà Cang', 'ban', 'hr', \(hamletCode))
                """
            )
            try await transaction.query(
                """
                INSERT INTO cds.teams (tenant_id, id, level, commune_code, hamlet_code, name, source_system, external_id)
                VALUES (\(tenant), \(teamID), 'hamlet', \(communeCode), \(hamletCode), 'Tổ công nghệ số cộng đồng Bản Nà Cang', 'hr', \("team-\(tenant)"))
                """
            )
            try await transaction.query(
                """
                INSERT INTO cds.members (tenant_id, id, team_id, full_name, phone, role, source_system, external_id)
                VALUES (\(tenant), \(memberID), \(teamID), 'Lò Văn Ươn', '0912345678', 'leader', 'hr', \(externalID))
                """
            )
        }
        return District(
            tenant: tenant,
            communeCode: communeCode,
            hamletCode: hamletCode,
            teamID: teamID,
            memberID: memberID,
            memberExternalID: externalID
        )
    }
}

extension Error {
    /// The SQLSTATE of a PostgreSQL error, e.g. `42501` for a row-level security violation.
    public var sqlState: String? {
        (self as? PSQLError)?.serverInfo?[.sqlState]
    }
}

extension TestDatabase {
    /// A fresh database holding ``TwoDistricts``, with a pool as `cds_app`.
    public static func withTwoDistricts(_ body: (TestDatabase, Database, TwoDistricts) async throws -> Void) async throws {
        try await withFresh { db in
            try await Database.withDatabase(db.application, logger: logger) { app in
                try await body(db, app, try await TwoDistricts.insert(into: app))
            }
        }
    }
}
