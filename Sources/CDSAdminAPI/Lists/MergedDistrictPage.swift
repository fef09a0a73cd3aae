import CDSCore
import CDSDatabase
import CDSHTTP
import PostgresNIO

/// A page of a list kept per district, in id order across the caller's districts.
///
/// On one PostgreSQL server it is read as one ordered scan per district, merged: the tables' primary keys are
/// `(tenant_id, id)`, so each district's scan walks its key in id order and stops after a page, where
/// `tenant_id = ANY (...)` would read and sort every row of the districts first. Citus plans no such lateral join
/// across shards; there the page is the plain query, which each shard answers in id order with its own limit and the
/// coordinator merges — a shard holds few districts, so its sort is small. The members' page
/// (``MemberPageStatement``) is the same query, prepared.
enum MergedDistrictPage {
    /// The query for `page` of `source`, over the districts the caller's reach touches.
    ///
    /// - Parameters:
    ///   - columns: the select list; it must include `<alias>.id`, which orders the page.
    ///   - source: the `FROM` clause, whose table `alias` has the `tenant_id` and `id` columns.
    ///   - filter: the caller's reach and the request's filters, as one condition on the source.
    ///   - engine: the server's engine, which decides the query's form.
    static func query(
        select columns: String,
        from source: String,
        alias: String,
        districts: some Collection<TenantID>,
        page: PageRequest,
        where filter: PostgresQuery,
        on engine: DatabaseEngine
    ) -> PostgresQuery {
        // The filter's binds come first, so its own `$n` stay as they are; the page's follow.
        var binds = filter.binds
        binds.append(districts.map(\.rawValue))
        let districtsBind = binds.count
        binds.append(page.after)
        let afterBind = binds.count
        binds.append(page.rowsToRead)
        let rowsBind = binds.count
        if engine == .citus {
            return PostgresQuery(
                unsafeSQL: """
                    SELECT \(columns)
                    FROM \(source)
                    WHERE \(alias).tenant_id = ANY ($\(districtsBind)::int[]) AND \(alias).id > $\(afterBind) AND (\(filter.sql))
                    ORDER BY \(alias).id
                    LIMIT $\(rowsBind)
                    """,
                binds: binds
            )
        }
        return PostgresQuery(
            unsafeSQL: """
                SELECT page.* FROM unnest($\(districtsBind)::int[]) AS scope (tenant_id)
                CROSS JOIN LATERAL (
                    SELECT \(columns)
                    FROM \(source)
                    WHERE \(alias).tenant_id = scope.tenant_id AND \(alias).id > $\(afterBind) AND (\(filter.sql))
                    ORDER BY \(alias).id
                    LIMIT $\(rowsBind)
                ) AS page
                ORDER BY page.id
                LIMIT $\(rowsBind)
                """,
            binds: binds
        )
    }
}
