import CDSCore
import CDSDatabase
import CDSHTTP
import CDSWire
import Foundation
import Hummingbird

/// `GET /v1/units` and `GET /v1/units/{code}`: the unit tree. National units are public reference data;
/// hamlets come through row-level security, so another district's hamlet answers 404 like a missing one.
struct UnitsController: Sendable {
    typealias Unit = Wire.Unit

    let database: Database

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.get("units", use: list)
        group.get("units/{code}", use: show)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Page<Unit> {
        let caller = try context.requireCaller()
        let query = request.uri.queryParameters
        let limit = try PageLimit.parse(query["limit"].map(String.init))
        let level = query["level"].map(String.init)
        if let level, UnitLevel(rawValue: level) == nil {
            throw ProblemDetails.badRequest(
                "unknown level",
                errors: [.init(field: "level", code: .unknownValue, message: "must be province, district, commune or hamlet")]
            )
        }
        let parent = try RequestInput.unitCode(query["parent"], field: "parent")
        let cursor = try RequestInput.unitCode(query["cursor"], field: "cursor") ?? ""
        let rows = try await database.withCallerScope(caller) { transaction in
            try await transaction.rows(
                """
                SELECT code, name, level, division_type, parent_code, district_code, valid_from::text, valid_to::text
                FROM cds.unit_tree
                WHERE code > \(cursor)
                  AND (\(level)::text IS NULL OR level = \(level))
                  AND (\(parent)::text IS NULL OR parent_code = \(parent))
                ORDER BY code
                LIMIT \(limit + 1)
                """,
                decoding: Unit.self
            )
        }
        let items = rows.prefix(limit)
        return Page(items: Array(items), nextCursor: rows.count > limit ? items.last?.code : nil)
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> EditedResponse<Unit> {
        let caller = try context.requireCaller()
        let code = try RequestInput.unitCode(context.parameters.get("code").map { Substring($0) }, field: "code") ?? ""
        let (rows, version) = try await database.withCallerScope(caller) { transaction in
            let rows = try await transaction.rows(
                """
                SELECT code, name, level, division_type, parent_code, district_code, valid_from::text, valid_to::text
                FROM cds.unit_tree WHERE code = \(code)
                """,
                decoding: Unit.self
            )
            // Hamlets can change (PATCH with If-Match): their ETag is the time of their last change.
            let version = try await transaction.rows(
                "SELECT \(unescaped: HamletWrites.version) FROM cds.hamlets WHERE code = \(code)",
                as: Int64.self
            )
            return (rows, version.first)
        }
        guard let row = rows.first else { throw ProblemDetails.notFound("no unit has the code \(code)") }
        var headers = HTTPFields()
        if let version { headers[.eTag] = EntityVersion.etag(version) }
        return EditedResponse(headers: headers, response: row)
    }
}
