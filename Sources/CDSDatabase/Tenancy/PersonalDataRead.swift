import CDSCore
import Foundation

/// One request's read of personal data (a member's phone, birth year, ethnicity; a citizen's contact), for the audit
/// log: what was asked, and the rows whose personal data it returned.
public struct PersonalDataRead: Sendable {
    /// The table read: `members`, `feedback_contacts`.
    public let entity: String
    /// What was asked: an HTTP method and route (`GET /v1/members`), or an RPC (`cds.roster.v1.RosterSync/PullRoster`).
    public let route: String
    /// The request's filters as it gave them (`team`, `q`, `cursor`, …).
    public let filters: [String: String]
    /// The rows returned, each with its district.
    public let subjects: [(tenant: TenantID, key: String)]

    public init(entity: String, route: String, filters: [String: String] = [:], subjects: [(tenant: TenantID, key: String)]) {
        self.entity = entity
        self.route = route
        self.filters = filters
        self.subjects = subjects
    }
}
