/// How PostgreSQL plans, within one scoped transaction, the statements it keeps: prepared statements, and those
/// cached inside functions, triggers and foreign-key checks. (The unnamed statements of ad-hoc queries are planned
/// for their values every time, whatever this says.)
public enum StatementPlans: Sendable {
    /// PostgreSQL's default (`plan_cache_mode = auto`): a statement's generic plan is kept once it is estimated no
    /// dearer than planning for each call's values. What per-row work needs: forced to plan for each call, the
    /// foreign-key check and trigger statements of every row written were planned again for every row, and a
    /// 200,000-member push spent a third more time in its INSERTs than the same INSERTs in psql.
    case cached
    /// Planned for each call's values (`force_custom_plan`), for prepared statements whose generic plan cannot fold
    /// away absent filters (`$n IS NULL OR ...`): for the members page it read and sorted a whole district, a thousand
    /// times slower. PostgreSQL would switch only when it estimates the generic plan no dearer, but estimates drift
    /// with the data, and one bad switch stalls every page.
    case custom

    var settingValue: String {
        switch self {
        case .cached: "auto"
        case .custom: "force_custom_plan"
        }
    }
}
