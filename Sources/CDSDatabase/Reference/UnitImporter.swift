import CDSCore
import CDSSchema
import Foundation
import Logging
import PostgresNIO

/// Imports national units (province, district, commune) from the reference CSV format:
/// `code,name,level,division_type,parent_code,display_order`.
///
/// All or nothing: every line is checked first (and every error reported by line), then the whole file
/// is applied in one transaction. Idempotent: re-importing the same file changes nothing.
/// Each district becomes a tenant.
public struct UnitImporter: Sendable {
    public static let header = ["code", "name", "level", "division_type", "parent_code", "display_order"]

    /// What an import changed.
    public struct Summary: Hashable, Sendable {
        public var inserted = 0
        public var updated = 0
        public var unchanged = 0

        public init(inserted: Int = 0, updated: Int = 0, unchanged: Int = 0) {
            self.inserted = inserted
            self.updated = updated
            self.unchanged = unchanged
        }
    }

    let database: Database

    /// - Parameter database: a pool connected as the owner role: national units are read-only for `cds_app`.
    public init(database: Database) {
        self.database = database
    }

    /// Imports the Sơn La 2023 units that ship with the project.
    public func importReferenceUnits() async throws -> Summary {
        try await importCSV(String(contentsOf: Schema.referenceFile("sonla/units-2023.csv"), encoding: .utf8))
    }

    /// - Throws: ``ImportError`` listing every bad line; nothing is written then.
    public func importCSV(_ text: String) async throws -> Summary {
        let table = try CSVTable(text: text)
        try table.requireHeader(Self.header)
        let known = try await existingUnits()
        let units = try Self.parse(table, existing: known)
        return try await apply(units)
    }

    static func parse(_ table: CSVTable, existing: [Int: UnitLevel]) throws(ImportError) -> [AdministrativeUnit] {
        var errors: [ImportError.LineError] = []
        var units: [(line: Int, unit: AdministrativeUnit)] = []
        var seen: [Int: Int] = [:]
        for record in table.records {
            let f = record.fields
            func fail(_ field: String, _ message: String) {
                errors.append(.init(line: record.line, field: field, message: message))
            }
            guard let code = Int(f[0].trimmingCharacters(in: .whitespaces)) else {
                fail("code", "'\(f[0])' is not a number")
                continue
            }
            guard let level = UnitLevel(rawValue: f[2]), level != .hamlet else {
                fail("level", "must be province, district or commune, not '\(f[2])'")
                continue
            }
            guard let divisionType = DivisionType(rawValue: f[3]) else {
                fail("division_type", "must be a lowercase word such as huyen, xa, phuong, not '\(f[3])'")
                continue
            }
            let parentText = f[4].trimmingCharacters(in: .whitespaces)
            let parentCode = parentText.isEmpty ? nil : Int(parentText)
            if !parentText.isEmpty && parentCode == nil {
                fail("parent_code", "'\(f[4])' is not a number")
                continue
            }
            guard let displayOrder = Int(f[5].trimmingCharacters(in: .whitespaces)) else {
                fail("display_order", "'\(f[5])' is not a number")
                continue
            }
            if let first = seen[code] {
                fail("code", "\(code) is already on line \(first)")
                continue
            }
            seen[code] = record.line
            do {
                let unit = try AdministrativeUnit(
                    code: code,
                    name: f[1],
                    level: level,
                    divisionType: divisionType,
                    parentCode: parentCode,
                    displayOrder: displayOrder
                )
                units.append((record.line, unit))
            } catch {
                fail(error.field, error.message)
            }
        }
        // Parents must exist, in the file or the database, one level up.
        var levels = existing
        for (_, unit) in units { levels[unit.code] = unit.level }
        for (line, unit) in units {
            guard let parentCode = unit.parentCode else { continue }
            guard let parentLevel = levels[parentCode] else {
                errors.append(.init(line: line, field: "parent_code", message: "unknown unit code \(parentCode)"))
                continue
            }
            if parentLevel != unit.level.parentLevel {
                errors.append(
                    .init(
                        line: line,
                        field: "parent_code",
                        message:
                            "a \(unit.level.rawValue) must be under a \(unit.level.parentLevel?.rawValue ?? "-"), and \(parentCode) is a \(parentLevel.rawValue)"
                    )
                )
            }
        }
        guard errors.isEmpty else { throw ImportError(errors.sorted { $0.line < $1.line }) }
        // Parents before children, so that the foreign keys hold row by row.
        let depth: [UnitLevel: Int] = [.province: 0, .district: 1, .commune: 2]
        return units.map(\.unit).sorted { (depth[$0.level]!, $0.code) < (depth[$1.level]!, $1.code) }
    }

    private func existingUnits() async throws -> [Int: UnitLevel] {
        try await database.withTransaction { connection in
            var levels: [Int: UnitLevel] = [:]
            for try await (code, level) in try await connection.query("SELECT code, level FROM cds.units", logger: database.logger)
                .decode((Int, String).self)
            {
                levels[code] = UnitLevel(rawValue: level)
            }
            return levels
        }
    }

    /// Writes `units` in one transaction. A change to the tree changes what grants reach: the import then revokes the
    /// delegated tokens whose issuers no longer cover their accounts and tells the servers to forget what they keep,
    /// as any other change to the control plane does. On one server the unit table's triggers would too; on a Citus
    /// cluster, where the unit tree is a reference table, it has none (docs/scale-out.md), and this is what does it.
    private func apply(_ units: [AdministrativeUnit]) async throws -> Summary {
        try await database.withTransaction { connection in
            try await connection.rows(
                of: ScopeSettingsStatement(scope: TenantScope([]), actor: .operator("units-import"), plans: .cached),
                logger: database.logger
            )
            var summary = Summary()
            for unit in units {
                let districtCode: Int? =
                    switch unit.level {
                    case .district: unit.code
                    case .commune: unit.parentCode
                    default: nil
                    }
                if unit.level == .district {
                    try await connection.query(
                        """
                        INSERT INTO cds.tenants (tenant_id, name, display_order)
                        VALUES (\(unit.code), \(unit.name), \(unit.displayOrder))
                        ON CONFLICT (tenant_id) DO UPDATE SET name = excluded.name, display_order = excluded.display_order
                        """,
                        logger: database.logger
                    )
                }
                // xmax = 0 tells an inserted row from an updated one; the WHERE leaves identical rows alone.
                let rows = try await connection.query(
                    """
                    INSERT INTO cds.units (code, name, level, division_type, parent_code, district_code, display_order)
                    VALUES (\(unit.code), \(unit.name), \(unit.level.rawValue), \(unit.divisionType.rawValue),
                            \(unit.parentCode), \(districtCode), \(unit.displayOrder))
                    ON CONFLICT (code) DO UPDATE SET
                        name = excluded.name, level = excluded.level, division_type = excluded.division_type,
                        parent_code = excluded.parent_code, district_code = excluded.district_code,
                        display_order = excluded.display_order
                    WHERE (cds.units.name, cds.units.level, cds.units.division_type, cds.units.parent_code,
                           cds.units.district_code, cds.units.display_order)
                          IS DISTINCT FROM
                          (excluded.name, excluded.level, excluded.division_type, excluded.parent_code,
                           excluded.district_code, excluded.display_order)
                    RETURNING xmax = 0
                    """,
                    logger: database.logger
                )
                var touched = false
                for try await inserted in rows.decode(Bool.self) {
                    touched = true
                    if inserted { summary.inserted += 1 } else { summary.updated += 1 }
                }
                if !touched { summary.unchanged += 1 }
            }
            if summary.inserted + summary.updated > 0 {
                try await connection.query("SELECT cds.revoke_uncovered_tokens(NULL)", logger: database.logger)
                try await connection.query("SELECT pg_notify(\(ControlPlaneListener.channel), 'units')", logger: database.logger)
            }
            return summary
        }
    }
}
