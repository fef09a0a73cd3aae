import CDSCore
import CDSDatabase
import CDSHTTP
import Foundation
import Hummingbird

/// `POST /v1/units` (a new hamlet) and `PATCH /v1/units/{code}` (rename, move to another commune of the
/// same district, retire): the hamlets are the part of the unit tree that district staff keep.
/// National units are read-only. Changes need `units.manage` on the commune (both communes for a move) and
/// the current `ETag` in `If-Match`, so that two officers cannot overwrite each other's change unseen.
struct HamletWrites: Sendable {
    struct NewHamlet: JSONRequestBody {
        static let fields: Set<String> = ["commune_code", "name", "kind"]

        let communeCode: String
        let name: String
        let kind: String
    }

    struct HamletChange: JSONRequestBody {
        static let fields: Set<String> = ["name", "commune_code", "kind", "valid_to"]
        static let nullable: Set<String> = ["name", "commune_code", "kind", "valid_to"]

        let name: String?
        let communeCode: String?
        let kind: String?
        let validTo: String?
    }

    let database: Database

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.post("units", use: create)
        group.patch("units/{code}", use: update)
    }

    static func commune(_ text: String, field: String, caller: Caller) throws -> Int {
        guard let code = Int(text), text.allSatisfy(\.isNumber), caller.policy.level(of: code) == .commune else {
            throw ProblemDetails.notFound("\(field): no commune has the code \(text)")
        }
        guard caller.policy.permits(.unitsManage, on: code) else {
            throw ProblemDetails.forbidden("\(field): you may not manage the hamlets of commune \(text)")
        }
        return code
    }

    static func kind(_ text: String) throws -> HamletKind {
        try RequestInput.choice(text, field: "kind", HamletKind.self)!
    }

    static func name(_ text: String) throws -> String {
        do {
            return try VietnameseText.required(text, field: "name", maxLength: 120)
        } catch {
            throw ProblemDetails(validationError: error)
        }
    }

    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> EditedResponse<UnitsController.Unit> {
        let caller = try context.requireCaller(holding: .unitsManage)
        let body = try await JSONBody.decode(NewHamlet.self, from: request)
        let commune = try Self.commune(body.communeCode, field: "commune_code", caller: caller)
        let kind = try Self.kind(body.kind)
        let name = try Self.name(body.name)
        let row = try await database.withCallerScope(caller) { transaction in
            // The next number in the commune; the lock keeps two creations from choosing the same one.
            try await transaction.query("SELECT pg_advisory_xact_lock(\(Int64(commune)))")
            let rows = try await transaction.rows(
                """
                INSERT INTO cds.hamlets (tenant_id, code, commune_code, name, kind, display_order)
                SELECT u.district_code,
                       cds.hamlet_code(u.code, coalesce(max(split_part(h.code, '-', 2)::int), 0) + 1),
                       u.code, \(name), \(kind.rawValue), coalesce(max(h.display_order), 0) + 1
                FROM cds.units u LEFT JOIN cds.hamlets h ON h.tenant_id = u.district_code AND split_part(h.code, '-', 1) = u.code::text
                WHERE u.code = \(commune) AND u.level = 'commune'
                GROUP BY u.code, u.district_code
                RETURNING \(unescaped: Self.returned("hamlets"))
                """,
                decoding: Versioned<UnitsController.Unit>.self
            )
            guard let row = rows.first else { throw ProblemDetails.notFound("no commune has the code \(commune)") }
            return row
        }
        let unit = row.item
        return EditedResponse(
            status: .created,
            headers: [.location: "/v1/units/\(unit.code)", .eTag: EntityVersion.etag(row.version)],
            response: unit
        )
    }

    @Sendable func update(_ request: Request, context: APIRequestContext) async throws -> EditedResponse<UnitsController.Unit> {
        let caller = try context.requireCaller(holding: .unitsManage)
        let code = try RequestInput.unitCode(context.parameters.get("code").map { Substring($0) }, field: "code") ?? ""
        guard code.contains("-") else {
            throw ProblemDetails.forbidden("national units are read-only; only hamlets are changed here")
        }
        let body = try await JSONBody.decode(HamletChange.self, from: request)
        let name = try body.name.map(Self.name)
        let kind = try body.kind.map(Self.kind)?.rawValue
        let validTo = try RequestInput.date(body.validTo.map { Substring($0) }, field: "valid_to")
        let row = try await database.withCallerScope(caller) { transaction in
            let current = try await transaction.rows(
                "SELECT commune_code, tenant_id, \(unescaped: Self.version) FROM cds.hamlets WHERE code = \(code)",
                as: (Int, Int, Int64).self
            )
            guard let (commune, tenant, version) = current.first else { throw ProblemDetails.notFound("no unit has the code \(code)") }
            guard caller.policy.permits(.unitsManage, on: commune) else {
                throw ProblemDetails.forbidden("you may not manage the hamlets of commune \(commune)")
            }
            let expected = try EntityVersion.requireMatch(request, current: version, noun: "unit")
            let target = try body.communeCode.map { try Self.commune($0, field: "commune_code", caller: caller) } ?? commune
            guard caller.policy.district(of: target)?.rawValue == tenant else {
                throw ProblemDetails.conflict("commune_code is a commune of another district: a hamlet moves only within its district")
            }
            // A hamlet moved to another commune takes its team along, in the same statement (and only when the hamlet
            // was changed: `FROM moved`): the foreign key from the team to its hamlet is checked at commit, when both have moved.
            // The changed hamlet is read afterwards: Citus returns no date as text from an UPDATE (a stable cast).
            let changed = try await transaction.rows(
                """
                WITH moved AS (
                    UPDATE cds.hamlets h SET
                        name = coalesce(\(name), h.name), kind = coalesce(\(kind), h.kind), commune_code = \(target),
                        valid_to = coalesce(\(date: validTo), h.valid_to), \(unescaped: EntityVersion.renewal("h"))
                    FROM cds.units u
                    WHERE h.tenant_id = \(tenant) AND h.code = \(code) AND \(unescaped: EntityVersion.expression("h")) = \(expected)
                      AND u.code = \(target) AND u.level = 'commune' AND u.district_code = \(tenant)
                      AND (\(date: validTo) IS NULL OR \(date: validTo) > h.valid_from)
                    RETURNING h.code),
                followed AS (
                    UPDATE cds.teams t SET commune_code = \(target), \(unescaped: EntityVersion.renewal("t"))
                    FROM moved
                    WHERE t.tenant_id = \(tenant) AND t.hamlet_code = \(code) AND t.commune_code <> \(target))
                SELECT code FROM moved
                """,
                as: String.self
            )
            guard !changed.isEmpty,
                let row = try await transaction.rows(
                    "SELECT \(unescaped: Self.returned("h")) FROM cds.hamlets h WHERE h.tenant_id = \(tenant) AND h.code = \(code)",
                    decoding: Versioned<UnitsController.Unit>.self
                ).first
            else {
                let now = try await transaction.rows("SELECT \(unescaped: Self.version) FROM cds.hamlets WHERE code = \(code)", as: Int64.self)
                guard now.first == expected else { throw EntityVersion.changed("unit") }
                throw ProblemDetails(
                    "invalid-value",
                    title: "Invalid value",
                    status: .unprocessableContent,
                    detail: "valid_to: a hamlet retires after it began",
                    errors: [.init(field: "valid_to", code: .inconsistent, message: "must be after the hamlet's valid_from")]
                )
            }
            return row
        }
        return EditedResponse(
            headers: [.eTag: EntityVersion.etag(row.version)],
            response: row.item
        )
    }

    /// A hamlet's version, over `cds.hamlets` without an alias.
    static let version = EntityVersion.expression("hamlets")

    /// What the writes return of the hamlet `alias`: the fields of a ``Wire/Unit``, then its version.
    static func returned(_ alias: String) -> String {
        """
        \(alias).code, \(alias).name, 'hamlet' AS level, \(alias).kind AS division_type, \(alias).commune_code::text AS parent_code,
        \(alias).tenant_id AS district_code, \(alias).valid_from::text AS valid_from, \(alias).valid_to::text AS valid_to,
        \(EntityVersion.expression(alias)) AS version
        """
    }
}
