import CDSCore
import CDSHTTP
import Foundation
import PostgresNIO

/// One page of `GET /v1/members`, as a prepared statement: the API's hot path, whose text is long enough that
/// parsing it on every request cost as much as running it. Its parameters are typed here, so that PostgreSQL
/// never has to infer them and the integer arrays match the integer columns they are compared with.
///
/// PostgreSQL plans it for each call's values (a custom plan, which the scoped transaction asks for): a generic plan
/// cannot fold away the filters that are not given, and read and sorted a whole district for every page.
struct MemberPageStatement: PostgresPreparedStatement {
    typealias Row = PostgresRow

    /// One ordered scan per district (the primary key is (tenant_id, id)), merged: each stops after a page, where
    /// `tenant_id = ANY (...)` would read and sort every member of the districts. Each member's team is looked up
    /// by its key (the LIMIT keeps the planner from turning the lookup into a join that starts from the teams and
    /// sorts their members). The lookup names the team's id alone: with the policy's `tenant_id = ANY ($n)` the
    /// planner cannot estimate rows, and given `tenant_id = m.tenant_id` as well it chose the unit index and
    /// filtered a district's teams for every member (4 ms a page instead of 1).
    static let sql = """
        SELECT page.*
        FROM unnest($1::int[]) AS scope (tenant_id)
        CROSS JOIN LATERAL (
            SELECT \(MemberRow.columns)
            FROM cds.members m
            CROSS JOIN LATERAL (
                SELECT t.commune_code, t.hamlet_code FROM cds.teams t WHERE t.id = m.team_id LIMIT 1
            ) AS t
            WHERE m.tenant_id = scope.tenant_id
              AND \(filters)
            ORDER BY m.id
            LIMIT $11
        ) AS page
        ORDER BY page.id
        LIMIT $11
        """

    /// The caller's reach and the request's filters, over a member `m` and its team `t`.
    static let filters = """
        (m.tenant_id = ANY ($2) OR t.commune_code = ANY ($3))
              AND m.id > $4
              AND ($5::uuid IS NULL OR m.team_id = $5)
              AND ($6::text IS NULL OR t.commune_code::text = $6 OR t.hamlet_code = $6)
              AND ($7::text IS NULL OR m.role = $7)
              AND ($8::boolean IS NULL OR m.has_smartphone = $8)
              AND ($9::boolean IS NULL OR m.trained = $9)
              AND ($10::text IS NULL OR m.search_name LIKE '%' || $10 || '%')
        """

    /// The same page on a Citus coordinator (``MergedDistrictPage`` says why it differs): one query with the
    /// members joined to their teams in their own district, which each shard answers with its first rows in id order.
    struct Distributed: PostgresPreparedStatement {
        typealias Row = PostgresRow

        static let sql = """
            SELECT \(MemberRow.columns)
            FROM cds.members m JOIN cds.teams t ON t.tenant_id = m.tenant_id AND t.id = m.team_id
            WHERE m.tenant_id = ANY ($1)
              AND \(filters)
            ORDER BY m.id
            LIMIT $11
            """

        static var bindingDataTypes: [PostgresDataType] { MemberPageStatement.bindingDataTypes }

        let page: MemberPageStatement

        func makeBindings() throws -> PostgresBindings { try page.makeBindings() }

        func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
    }

    static let bindingDataTypes: [PostgresDataType] = [
        .int4Array, .int4Array, .int4Array, .uuid, .uuid, .text, .text, .bool, .bool, .text, .int8,
    ]

    /// The caller's reach of `members.read`: the districts to scan, whole districts read and single communes.
    let reach: AccessPolicy.Reach
    /// The last id of the previous page (the zero UUID for the first).
    let after: UUID
    let team: UUID?
    /// A commune code or a hamlet's local code.
    let unit: String?
    let role: String?
    let smartphone: Bool?
    let trained: Bool?
    /// A search key (``VietnameseText/searchKey(_:)``) to find in the members' names.
    let search: String?
    /// Rows to read: a page and one more, to tell whether another page follows.
    let rows: Int

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: Self.bindingDataTypes.count)
        bindings.append(reach.touchedDistricts.map { Int32($0.rawValue) })
        bindings.append(reach.districts.map { Int32($0.rawValue) })
        bindings.append(reach.communes.map { Int32($0) })
        bindings.append(after)
        bindings.append(team)
        bindings.append(unit)
        bindings.append(role)
        bindings.append(smartphone)
        bindings.append(trained)
        bindings.append(search)
        bindings.append(rows)
        return bindings
    }

    /// The row itself, decoded by ``MemberRow/init(_:)``: rows pass through PostgresNIO's generic
    /// `execute` unspecialised, and a 17-column tuple there cost a generic copy of each value for every row.
    func decodeRow(_ row: PostgresRow) throws -> PostgresRow {
        row
    }
}
