import CDSDatabase
import CDSHTTP
import Foundation
import Hummingbird
import PostgresNIO

/// Optimistic concurrency for every object that staff change: its version is the time of its last change in
/// microseconds, sent as the `ETag`; a change must send it back in `If-Match`, so that two officers cannot
/// overwrite each other's work unseen.
///
/// The comparison that counts is the one in the write itself (`WHERE <version> = expected`): a version read
/// earlier in the transaction may be stale by the time the row is locked, and two writers holding the same
/// `ETag` would both succeed. `If-Match: *` is refused, since it would skip the very check this exists for.
enum EntityVersion {
    /// The version of the row aliased `alias` (a table with `updated_at`), as SQL. It reads the time in UTC, which
    /// makes it immutable: Citus refuses a stable function of a column in an `UPDATE`'s condition.
    static func expression(_ alias: String) -> String {
        "(extract(epoch from \(alias).updated_at AT TIME ZONE 'UTC') * 1000000)::bigint"
    }

    /// The assignment that renews the version of the row aliased `alias` in an `UPDATE`: a version it never had
    /// (`sql/migrations/0028_renewed_at.sql`).
    static func renewal(_ alias: String) -> String {
        "updated_at = cds.renewed_at(\(alias).updated_at, now())"
    }

    static func etag(_ version: Int64) -> String { "\"\(version)\"" }

    /// An object with its version as the `ETag`: 200, or 201 with its `Location` when it was just created.
    static func response<Body: ResponseEncodable>(_ body: Body, version: Int64, createdAt location: String? = nil) -> EditedResponse<Body> {
        var headers: HTTPFields = [.eTag: etag(version)]
        if let location { headers[.location] = location }
        return EditedResponse(status: location == nil ? .ok : .created, headers: headers, response: body)
    }

    /// `GET` of one object by the id in its path: the row `read` finds for the caller (its 404 when none), answered
    /// with its version as the `ETag`.
    static func show<Row: VersionedRow & Sendable, Body: ResponseEncodable>(
        _ context: APIRequestContext,
        in database: Database,
        reading read: (UUID, Caller, borrowing TenantTransaction) async throws -> Row,
        answer: (Row) -> Body
    ) async throws -> EditedResponse<Body> {
        let caller = try context.requireCaller()
        let id = try context.pathID()
        let row = try await database.withCallerScope(caller) { transaction in try await read(id, caller, transaction) }
        return response(answer(row), version: row.version)
    }

    /// `PATCH` of the object `id`: the row `read` finds for the caller to change (its 404 or 403 when none), changed
    /// in `table` (aliased as in `"cds.teams t"`) by the assignments `setting` makes, when the caller's `If-Match`
    /// names its version, and read back the same way. The assignments are made once the row is found, so that an
    /// unknown or foreign object is a 404 whatever the body says.
    static func change<Body: ResponseEncodable & DistrictOwned>(
        _ request: Request,
        id: UUID,
        by caller: Caller,
        in database: Database,
        of table: String,
        noun: String,
        reading read: (UUID, Caller, borrowing TenantTransaction) async throws -> Versioned<Body>,
        setting assignments: () throws -> PostgresQuery
    ) async throws -> EditedResponse<Body> {
        let row = try await database.withCallerScope(caller) { transaction in
            let current = try await read(id, caller, transaction)
            try await update(current, id: id, of: table, noun: noun, request: request, setting: try assignments(), in: transaction)
            return try await read(id, caller, transaction)
        }
        return response(row.item, version: row.version)
    }

    /// `DELETE` of one object by the id in its path: the row `read` finds for the caller to change (its 404 or 403
    /// when none), deleted from `table` when the caller's `If-Match` names its version.
    static func delete<Row: VersionedRow & Sendable>(
        _ request: Request,
        _ context: APIRequestContext,
        in database: Database,
        from table: String,
        noun: String,
        reading read: (UUID, Caller, borrowing TenantTransaction) async throws -> Row
    ) async throws -> HTTPResponse.Status {
        let caller = try context.requireCaller()
        let id = try context.pathID()
        try await database.withCallerScope(caller) { transaction in
            let current = try await read(id, caller, transaction)
            try await delete(current, id: id, from: table, noun: noun, request: request, in: transaction)
        }
        return .noContent
    }

    /// The version the caller read, checked against the one read now, for the write to compare again.
    ///
    /// - Returns: the expected version, to put in the write's `WHERE`.
    /// - Throws: 428 without `If-Match` or with `*`, 400 when it is not one of this API's ETags, 412 when it names
    ///   another version.
    @discardableResult
    static func requireMatch(_ request: Request, current version: Int64, noun: String) throws -> Int64 {
        guard let sent = request.headers[.ifMatch], sent != "*" else {
            throw ProblemDetails(
                "precondition-required",
                title: "Precondition required",
                status: .preconditionRequired,
                detail: "send the \(noun)'s ETag in If-Match (GET it first); \"*\" is not accepted"
            )
        }
        // The document's pattern: any quoted digits. One too long to be a version is well formed, and names no version.
        guard sent.wholeMatch(of: /"[0-9]+"/) != nil else {
            throw ProblemDetails.badRequest(
                "If-Match is not an ETag of this API",
                errors: [.init(field: "If-Match", code: .invalidFormat, message: "must be the \(noun)'s ETag as the last GET gave it")]
            )
        }
        guard sent == etag(version) else { throw changed(noun) }
        return version
    }

    /// Changes `current`, the row `id` of `table` (aliased as in `"cds.teams t"`) that the caller may change, when the
    /// caller's `If-Match` names its version and the row is still at it; the change renews the version.
    /// - Parameter assignments: the `SET` list, without `updated_at`.
    /// - Throws: as ``requireMatch(_:current:noun:)``; 412 when it changed since the caller read it.
    private static func update(
        _ current: some VersionedRow,
        id: UUID,
        of table: String,
        noun: String,
        request: Request,
        setting assignments: PostgresQuery,
        in transaction: borrowing TenantTransaction
    ) async throws {
        let expected = try requireMatch(request, current: current.version, noun: noun)
        let alias = table.split(separator: " ").last.map(String.init) ?? table
        // The assignments' binds come first, so their own `$n` stay as they are; the row's follow.
        var binds = assignments.binds
        binds.append(current.districtCode)
        let districtBind = binds.count
        binds.append(id)
        let idBind = binds.count
        binds.append(expected)
        let versionBind = binds.count
        let statement = PostgresQuery(
            unsafeSQL: """
                UPDATE \(table) SET \(assignments.sql), \(renewal(alias))
                WHERE \(alias).tenant_id = $\(districtBind) AND \(alias).id = $\(idBind) AND \(expression(alias)) = $\(versionBind)
                RETURNING \(alias).id
                """,
            binds: binds
        )
        let updated = try await transaction.rows(statement, as: UUID.self)
        guard !updated.isEmpty else { throw changed(noun) }
    }

    /// Deletes `current`, the row `id` of `table` that the caller may change, when the caller's `If-Match` names its
    /// version and the row is still at it.
    /// - Throws: as ``requireMatch(_:current:noun:)``; 412 when it changed since the caller read it.
    static func delete(
        _ current: some VersionedRow,
        id: UUID,
        from table: String,
        noun: String,
        request: Request,
        in transaction: borrowing TenantTransaction
    ) async throws {
        let expected = try requireMatch(request, current: current.version, noun: noun)
        let deleted = try await transaction.rows(
            """
            DELETE FROM \(unescaped: table) t
            WHERE t.tenant_id = \(current.districtCode) AND t.id = \(id) AND \(unescaped: expression("t")) = \(expected)
            RETURNING t.id
            """,
            as: UUID.self
        )
        guard !deleted.isEmpty else { throw changed(noun) }
    }

    /// The answer when the write found the row at another version than the caller read.
    static func changed(_ noun: String) -> ProblemDetails {
        ProblemDetails(
            "precondition-failed",
            title: "Precondition failed",
            status: .preconditionFailed,
            detail: "the \(noun) has changed since you read it: GET it again"
        )
    }
}

/// A row that staff change under ``EntityVersion``: its district and its version.
protocol VersionedRow {
    var districtCode: Int { get }
    var version: Int64 { get }
}
