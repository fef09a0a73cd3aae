/// A permission, as the schema's `cds.permissions` table names it.
public enum Permission: String, CaseIterable, Codable, Hashable, Sendable {
    case unitsManage = "units.manage"
    case teamsRead = "teams.read"
    case teamsManage = "teams.manage"
    case membersRead = "members.read"
    case membersReadPersonal = "members.read_personal"
    case membersManage = "members.manage"
    case trainingsManage = "trainings.manage"
    case activitiesManage = "activities.manage"
    case feedbackRead = "feedback.read"
    case feedbackHandle = "feedback.handle"
    case usersManage = "users.manage"
    case reportsRead = "reports.read"
    case auditRead = "audit.read"
}
