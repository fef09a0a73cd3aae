/// Where a citizen's report stands, and the moves a handler may make from there.
///
/// `submitted → accepted → in_progress → resolved | rejected → closed`; an answered or closed report can be
/// `reopened`; a report can be marked a `duplicate` of another or `not_responsible` (referred elsewhere) until work
/// on it has started.
public enum ReportStatus: String, CaseIterable, Codable, Hashable, Sendable {
    case submitted
    case accepted
    case inProgress = "in_progress"
    case resolved
    case rejected
    case closed
    case reopened
    case duplicate
    case notResponsible = "not_responsible"

    /// The statuses a handler may move a report in this status to.
    public var next: Set<ReportStatus> {
        switch self {
        case .submitted: [.accepted, .rejected, .duplicate, .notResponsible]
        case .accepted: [.inProgress, .resolved, .rejected, .duplicate, .notResponsible]
        case .inProgress: [.resolved, .rejected]
        case .resolved, .rejected, .duplicate, .notResponsible: [.closed, .reopened]
        case .closed: [.reopened]
        case .reopened: [.accepted, .inProgress, .resolved, .rejected, .duplicate, .notResponsible]
        }
    }

    public func canMove(to status: ReportStatus) -> Bool { next.contains(status) }

    /// A report is answered once it is resolved, rejected, found a duplicate or referred elsewhere: what the on-time
    /// rate compares with the due time.
    public var isAnswer: Bool { [.resolved, .rejected, .duplicate, .notResponsible].contains(self) }

    /// Open311's two statuses: a report is `open` while someone still has to act on it.
    public var open311: String {
        switch self {
        case .submitted, .accepted, .inProgress, .reopened: "open"
        case .resolved, .rejected, .closed, .duplicate, .notResponsible: "closed"
        }
    }
}
