import CDSCore

extension ReportStatus {
    /// FixMyStreet's extended update statuses (lower case, as its adapters send them): what a FixMyStreet-style
    /// client of `servicerequestupdates` understands.
    var fixMyStreet: String {
        switch self {
        case .submitted: "open"
        case .accepted: "investigating"
        case .inProgress: "in_progress"
        case .resolved: "fixed"
        case .rejected: "no_further_action"
        case .closed: "closed"
        case .reopened: "reopen"
        case .duplicate: "duplicate"
        case .notResponsible: "not_councils_responsibility"
        }
    }
}
