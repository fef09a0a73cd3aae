import CDSDatabase
import PostgresNIO

/// Guidance activities by month and topic: how many activities and how many residents they reached, over the
/// teams of the transaction's scope.
public enum ActivityTotalsReport {
    public struct Row: ReportRow {
        /// `YYYY-MM`.
        public var month: String
        public var topic: String
        public var activities: Int
        public var residentsReached: Int

        public static let header = ["month", "topic", "activities", "residents_reached"]

        public var fields: [String] { [month, topic, String(activities), String(residentsReached)] }
    }

    /// - Parameters:
    ///   - extent: the districts and single communes reported on, within the transaction's scope.
    ///   - from: the first day counted (`YYYY-MM-DD`), or nil.
    ///   - to: the last day counted, or nil.
    public static func compute(
        _ extent: ReportExtent,
        from: String?,
        to: String?,
        in transaction: borrowing TenantTransaction
    ) async throws -> [Row] {
        try await transaction.rows(
            """
            SELECT to_char(g.held_on, 'YYYY-MM') AS month, g.topic, count(*)::int AS activities,
                   sum(g.residents_reached)::int AS residents_reached
            FROM cds.guidance_activities g JOIN cds.teams t ON t.tenant_id = g.tenant_id AND t.id = g.team_id
            WHERE (g.tenant_id = ANY (\(extent.districts)::int[]) OR t.commune_code = ANY (\(extent.communes)::int[]))
              AND (\(from)::date IS NULL OR g.held_on >= \(from)::date)
              AND (\(to)::date IS NULL OR g.held_on <= \(to)::date)
            GROUP BY 1, 2
            ORDER BY 1, 2
            """,
            decoding: Row.self
        )
    }
}
