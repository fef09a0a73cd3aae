import CDSCore
import CDSHTTP

/// A signed-in person on a console page: the API's caller, the language they read, and their session.
struct Visitor: Sendable {
    /// The request's context with the person as its caller: what ``StaffAPI`` calls the API with.
    let context: APIRequestContext
    var caller: Caller { context.caller! }
    let language: String
    let session: String

    /// The token every form of this session carries.
    var csrf: String { ConsoleSession.csrfToken(for: session) }

    /// Whether the console offers this person a second factor: to province-level accounts, whose reach is the whole
    /// province.
    var mayUseTwoStep: Bool { Permission.allCases.contains { caller.policy.permitsOnProvince($0) } }

    /// What every page's frame shows: who is signed in, the form token, and which sections they may open.
    var frame: [String: Any] {
        let policy = caller.policy
        return [
            "user": caller.principal.name,
            "csrf": csrf,
            "mayReadMembers": policy.permitsSomewhere(.membersRead),
            "mayReadTeams": policy.permitsSomewhere(.teamsRead),
            "mayReadReports": policy.permitsSomewhere(.reportsRead),
            "mayReadFeedback": policy.permitsSomewhere(.feedbackRead),
            "mayReadAudit": policy.permitsSomewhere(.auditRead),
            "mayManageUsers": policy.permitsSomewhere(.usersManage),
            "mayUseTwoStep": mayUseTwoStep,
            "mayRecordWork": policy.permitsSomewhere(.trainingsManage) || policy.permitsSomewhere(.activitiesManage),
        ]
    }
}
