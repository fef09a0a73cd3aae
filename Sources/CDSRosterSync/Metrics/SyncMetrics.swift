import CDSRosterProto
import Metrics

/// Rows that committed pushes changed (`cds_sync_rows_applied_total`, by `kind` and `change`): what a night's sync did
/// to the registry, next to the calls' durations. Replays and rejected batches change nothing and count nothing.
enum SyncMetrics {
    static func recordApplied(_ response: Cds_Roster_V1_PushRosterResponse) {
        for (kind, counts) in [("hamlet", response.hamlets), ("team", response.teams), ("member", response.members)] {
            for (change, rows) in [("inserted", counts.inserted), ("updated", counts.updated), ("deactivated", counts.deactivated)] where rows > 0 {
                Counter(label: "cds_sync_rows_applied_total", dimensions: [("kind", kind), ("change", change)]).increment(by: Int64(rows))
            }
        }
    }
}
